import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { AuthGuard } from '../../../../guards/auth.guard';
import { SearchDto } from '../../dto/search.dto';
import { MessageService } from '../../message.service';
import type { SearchResult } from '../../search/message-search';

@ApiTags('messages')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('messages')
export class MessageController {
  constructor(private readonly messages: MessageService) {}

  /** Korean-aware search over the caller's planets. */
  @Get('search')
  search(@CurrentUser() user: CurrentUserData, @Query() dto: SearchDto): Promise<SearchResult> {
    return this.messages.search(user, dto);
  }
}
