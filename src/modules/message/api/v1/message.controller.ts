import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { BigIdPipe } from '../../../../common/pipes/id.pipe';
import { RateLimit } from '../../../../infrastructure/rate-limit/rate-limit.decorator';
import { EditMessageDto } from '../../dto/edit-message.dto';
import { MessageResponseDto } from '../../dto/message-response.dto';
import { SearchResponseDto } from '../../dto/search-response.dto';
import { SearchDto } from '../../dto/search.dto';
import { MessageService } from '../../message.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class MessageController {
  constructor(private readonly messages: MessageService) {}

  /** Korean-aware search over the caller's planets. */
  @Get('search')
  @RateLimit('search')
  @ApiOkResponse({ type: SearchResponseDto })
  search(@CurrentUser() user: CurrentUserData, @Query() dto: SearchDto): Promise<SearchResponseDto> {
    return this.messages.search(user, dto);
  }

  /** Sender only; sets editedAt and broadcasts message:updated. */
  @Patch(':id')
  @RateLimit('edit')
  @ApiOkResponse({ type: MessageResponseDto })
  edit(@CurrentUser() user: CurrentUserData, @Param('id', BigIdPipe) id: string, @Body() dto: EditMessageDto): Promise<MessageResponseDto> {
    return this.messages.edit(user, id, dto);
  }

  /** Sender or planet admin; soft delete (a tombstone stays in lists), broadcasts message:deleted. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentUser() user: CurrentUserData, @Param('id', BigIdPipe) id: string): Promise<void> {
    return this.messages.remove(user, id);
  }
}
