import { Injectable, Logger } from '@nestjs/common';
import { AppException } from '../../common/errors/app.exception';
import { EnvironmentVariables } from '../../config/env';
import { RedisService } from '../../infrastructure/redis/redis.service';
import { verifyStreamWebhook, StreamVideo } from './cloudflare/cloudflare-stream';
import { Media } from './media.entity';
import { MediaProcessor, streamReadyPatch } from './media.processor';

/**
 * Stream's notifications: a video finished encoding (`readyToStream`, `status.state` ready) or
 * failed (`status.state` error). Only signed ones count: Webhook-Signature checked over the raw
 * body, timestamps within CLOUDFLARE_WEBHOOK_TOLERANCE_SECONDS, and a signature seen before
 * (kept in Redis for that long) is refused as a replay.
 */
@Injectable()
export class MediaWebhooks {
  private readonly logger = new Logger('MediaWebhooks');

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly redis: RedisService,
    private readonly processor: MediaProcessor,
  ) {}

  async streamNotification(
    signature: string | undefined,
    rawBody: Buffer | undefined,
  ): Promise<{ received: true; mediaId: number | null }> {
    const secret = this.env.CLOUDFLARE_STREAM_WEBHOOK_SECRET;
    if (!secret) throw AppException.forbidden('Stream webhooks are not configured here (CLOUDFLARE_STREAM_WEBHOOK_SECRET)');
    if (!rawBody || rawBody.length === 0) throw AppException.badRequest('body', 'must be the JSON notification Stream sends');
    const verdict = verifyStreamWebhook(signature, rawBody, secret, this.env.CLOUDFLARE_WEBHOOK_TOLERANCE_SECONDS);
    if (!verdict.ok) throw AppException.forbidden(verdict.reason);
    const fresh = await this.redis.client.set(
      `cloudflare:webhook:${verdict.signature}`,
      '1',
      'EX',
      this.env.CLOUDFLARE_WEBHOOK_TOLERANCE_SECONDS * 2,
      'NX',
    );
    if (fresh !== 'OK') throw AppException.conflict('This webhook was already received (replay)', 'Webhook-Signature');
    let video: StreamVideo;
    try {
      video = JSON.parse(rawBody.toString('utf8')) as StreamVideo;
    } catch {
      throw AppException.badRequest('body', 'is not JSON');
    }
    if (typeof video?.uid !== 'string' || !video.uid) throw AppException.badRequest('uid', 'is required');
    const media = await Media.findByStreamUid(video.uid);
    // Not ours (another app on the account) or already deleted: acknowledged, nothing to do.
    if (!media) return { received: true, mediaId: null };
    const state = video.status?.state;
    let changed = false;
    if (state === 'ready' || video.readyToStream === true) {
      changed = await Media.markStreamReady(media.id, streamReadyPatch(video));
    } else if (state === 'error') {
      changed = await Media.markFailed(
        media.id,
        `Cloudflare Stream could not encode the video (${video.status?.errorReasonText || video.status?.errorReasonCode || 'no reason given'})`,
      );
    }
    if (changed) {
      this.logger.log(`media ${media.id}: Stream says ${state ?? 'ready'}`);
      await this.processor.announce(media.id);
    }
    return { received: true, mediaId: media.id };
  }
}
