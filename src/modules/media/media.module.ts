import { Module } from '@nestjs/common';
import { QueueModule } from '../../infrastructure/queue/queue.module';
import { StorageModule } from '../../infrastructure/storage/storage.module';
import { MessageModule } from '../message/message.module';
import { MediaController } from './api/v1/media.controller';
import { MediaWebhookController } from './api/v1/media-webhook.controller';
import { CloudflareClient } from './cloudflare/cloudflare-client';
import { CloudflareImages } from './cloudflare/cloudflare-images';
import { CloudflareStream } from './cloudflare/cloudflare-stream';
import { MediaProcessor } from './media.processor';
import { MediaService } from './media.service';
import { MediaViewsModule } from './media-views';
import { MediaWebhooks } from './media-webhooks.service';

/** Uploads (signed PUT to storage, or TUS to Cloudflare Stream), completion checks, background processing, Stream webhooks (issue 9). */
@Module({
  imports: [StorageModule, QueueModule, MediaViewsModule, MessageModule],
  controllers: [MediaController, MediaWebhookController],
  providers: [MediaService, MediaProcessor, CloudflareClient, CloudflareImages, CloudflareStream, MediaWebhooks],
  exports: [MediaService],
})
export class MediaModule {}
