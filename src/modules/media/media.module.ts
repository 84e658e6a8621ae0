import { Module } from '@nestjs/common';
import { QueueModule } from '../../infrastructure/queue/queue.module';
import { StorageModule } from '../../infrastructure/storage/storage.module';
import { MessageModule } from '../message/message.module';
import { MediaController } from './api/v1/media.controller';
import { MediaProcessor } from './media.processor';
import { MediaService } from './media.service';
import { MediaViewsModule } from './media-views';

/** Uploads (signed PUT to storage), completion checks, background processing (issue 9). */
@Module({
  imports: [StorageModule, QueueModule, MediaViewsModule, MessageModule],
  controllers: [MediaController],
  providers: [MediaService, MediaProcessor],
  exports: [MediaService],
})
export class MediaModule {}
