import { Module } from '@nestjs/common';
import { MessageController } from './api/v1/message.controller';
import { PlanetMessageController } from './api/v1/planet-message.controller';
import { MessageBroadcaster } from './gateway/message-broadcaster';
import { MessageGateway } from './gateway/message.gateway';
import { MessageService } from './message.service';
import { ReadReceiptBatcher } from './receipts/read-receipt-batcher';

@Module({
  controllers: [MessageController, PlanetMessageController],
  providers: [MessageService, MessageBroadcaster, ReadReceiptBatcher, MessageGateway],
  exports: [MessageService, MessageBroadcaster],
})
export class MessageModule {}
