import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../../common/openapi/api-errors.decorator';
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
  @ApiOperation({ summary: 'Search messages in my ACTIVE planets (Korean-aware; relevance or recent)' })
  @ApiOkResponse({ type: SearchResponseDto })
  @ApiErrors({ 403: 'planetId or travelId names a planet or travel you are not an active member of' })
  search(@CurrentUser() user: CurrentUserData, @Query() dto: SearchDto): Promise<SearchResponseDto> {
    return this.messages.search(user, dto);
  }

  /** Sender only; sets editedAt and broadcasts message:updated. */
  @Patch(':id')
  @RateLimit('edit')
  @ApiOperation({ summary: 'Edit the content of my message (sender only); sets editedAt and broadcasts message:updated' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors({ 403: 'Only the sender can edit a message', 404: 'No such message, it is deleted, or you cannot see its planet' })
  edit(@CurrentUser() user: CurrentUserData, @Param('id', BigIdPipe) id: string, @Body() dto: EditMessageDto): Promise<MessageResponseDto> {
    return this.messages.edit(user, id, dto);
  }

  /** Sender or planet admin; soft delete (a tombstone stays in lists), broadcasts message:deleted. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a message (sender or planet admin); a tombstone stays in lists, broadcasts message:deleted' })
  @ApiNoContentResponse({ description: 'Deleted (also when it already was)' })
  @ApiErrors({ 403: 'Only the sender or a planet admin can delete a message', 404: 'No such message, or you cannot see its planet' })
  remove(@CurrentUser() user: CurrentUserData, @Param('id', BigIdPipe) id: string): Promise<void> {
    return this.messages.remove(user, id);
  }
}
