import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { IdPipe } from '../../../../common/pipes/id.pipe';
import { ListMessagesDto, MessageListResponseDto } from '../../dto/list-messages.dto';
import { MessageResponseDto } from '../../dto/message-response.dto';
import { ReadMessagesDto } from '../../dto/read-messages.dto';
import { SendMessageDto } from '../../dto/send-message.dto';
import { MessageService } from '../../message.service';

/** A planet's messages: send, list (keyset), "read up to". Sends are broadcast to the planet's sockets on every node. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('planets/:planetId')
export class PlanetMessageController {
  constructor(private readonly messages: MessageService) {}

  @Post('messages')
  @ApiCreatedResponse({ type: MessageResponseDto })
  send(@CurrentUser() user: CurrentUserData, @Param('planetId', IdPipe) planetId: number, @Body() dto: SendMessageDto): Promise<MessageResponseDto> {
    return this.messages.send(user, planetId, dto);
  }

  /** `before` → older, newest first; `after` → newer, oldest first (resync after a reconnect). */
  @Get('messages')
  @ApiOkResponse({ type: MessageListResponseDto })
  list(@CurrentUser() user: CurrentUserData, @Param('planetId', IdPipe) planetId: number, @Query() dto: ListMessagesDto): Promise<MessageListResponseDto> {
    return this.messages.list(user, planetId, dto);
  }

  /** Answers 204 once the (batched) watermark write has committed. */
  @Post('read')
  @HttpCode(204)
  @ApiNoContentResponse()
  read(@CurrentUser() user: CurrentUserData, @Param('planetId', IdPipe) planetId: number, @Body() dto: ReadMessagesDto): Promise<void> {
    return this.messages.markRead(user, planetId, dto.messageId);
  }
}
