import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../../common/openapi/api-errors.decorator';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { IdPipe } from '../../../../common/pipes/id.pipe';
import { AuthGuard } from '../../../../guards/auth.guard';
import { ListMessagesDto, MessageListResponseDto } from '../../dto/list-messages.dto';
import { MessageResponseDto } from '../../dto/message-response.dto';
import { ReadMessagesDto } from '../../dto/read-messages.dto';
import { SendMessageDto } from '../../dto/send-message.dto';
import { MessageService } from '../../message.service';

/** A planet's messages: send, list (keyset), "read up to". Sends are broadcast to the planet's sockets on every node. */
@ApiTags('messages')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('planets/:planetId')
export class PlanetMessageController {
  constructor(private readonly messages: MessageService) {}

  @Post('messages')
  @ApiOperation({ summary: 'Send a message (content and/or mediaIds); broadcast as message:new to the planet' })
  @ApiCreatedResponse({ type: MessageResponseDto })
  @ApiErrors({ 403: 'You are not an active member of this planet', 409: 'clientId was already used for a message in another planet' })
  send(@CurrentUser() user: CurrentUserData, @Param('planetId', IdPipe) planetId: number, @Body() dto: SendMessageDto): Promise<MessageResponseDto> {
    return this.messages.send(user, planetId, dto);
  }

  /** `before` → older, newest first; `after` → newer, oldest first (resync after a reconnect). */
  @Get('messages')
  @ApiOperation({ summary: 'A page of messages with readCount, unreadCount and replyCount (before: newest first; after: oldest first)' })
  @ApiOkResponse({ type: MessageListResponseDto })
  @ApiErrors({ 403: 'You are not an active member of this planet' })
  list(@CurrentUser() user: CurrentUserData, @Param('planetId', IdPipe) planetId: number, @Query() dto: ListMessagesDto): Promise<MessageListResponseDto> {
    return this.messages.list(user, planetId, dto);
  }

  /** Answers 204 once the (batched) watermark write has committed. */
  @Post('read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark the planet read up to messageId (the read watermark only moves forward)' })
  @ApiNoContentResponse({ description: 'The watermark is stored' })
  @ApiErrors({ 403: 'You are not an active member of this planet', 404: 'No such message in this planet' })
  read(@CurrentUser() user: CurrentUserData, @Param('planetId', IdPipe) planetId: number, @Body() dto: ReadMessagesDto): Promise<void> {
    return this.messages.markRead(user, planetId, dto.messageId);
  }
}
