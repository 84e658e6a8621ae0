import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { EnvironmentVariables } from '../../config/env';
import { MEDIA_QUEUE } from '../../infrastructure/queue/queue.module';
import { STORAGE_DRIVER, StorageDriver } from '../../infrastructure/storage/storage-driver';
import { MessageBroadcaster } from '../message/gateway/message-broadcaster';
import { Media } from './media.entity';
import { MediaKind } from './media.enums';
import { MEDIA_LIMITS } from './media-types';
import type { MediaJob } from './media.service';
import { MediaViews, variantKey } from './media-views';
import { makeImageVariants, MediaRejectedError, VARIANT_MIME, VariantName } from './processing/image-variants';

/**
 * Works media jobs from the shared queue: images get their variants (sharp), videos and files are
 * served as uploaded. Every media ends READY or FAILED with a readable reason; a refused image
 * fails at once, other errors are retried with backoff (MEDIA_JOB_ATTEMPTS) and fail on the last
 * attempt. A job whose node died is taken over by another node (BullMQ stalled-job check).
 */
@Processor(MEDIA_QUEUE, { autorun: false, concurrency: 1 })
export class MediaProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('MediaWorker');

  constructor(
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly views: MediaViews,
    private readonly broadcaster: MessageBroadcaster,
    private readonly env: EnvironmentVariables,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.env.MEDIA_WORKER_ENABLED !== 'true') return;
    this.worker.concurrency = this.env.MEDIA_WORKER_CONCURRENCY;
    this.worker.run().catch((err: Error) => this.logger.error(`media worker stopped: ${err.message}`));
  }

  async process(job: Job<MediaJob>): Promise<string> {
    const media = await Media.startProcessing(job.data.mediaId);
    if (!media) return 'skipped: media gone or already finished';
    try {
      const ready = await Media.markReady(media.id, await this.work(media));
      if (ready) await this.announce(media.id);
      return 'ready';
    } catch (err) {
      const rejected = err instanceof MediaRejectedError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (rejected || lastAttempt) {
        await Media.markFailed(media.id, rejected ? err.message : `processing failed after ${job.attemptsMade + 1} attempts (${(err as Error).message})`);
        await this.announce(media.id);
      }
      if (rejected) throw new UnrecoverableError(err.message);
      throw err;
    }
  }

  private async work(media: Media): Promise<Parameters<typeof Media.markReady>[1]> {
    if (media.kind !== MediaKind.IMAGE) return {};
    const original = await this.storage.read(media.storageKey, MEDIA_LIMITS[MediaKind.IMAGE].maxBytes);
    const out = await makeImageVariants(original);
    const variants: Record<string, string> = {};
    for (const name of Object.keys(out.variants) as VariantName[]) {
      const key = variantKey(media.storageKey, name);
      await this.storage.put(key, out.variants[name].data, VARIANT_MIME);
      variants[name] = key;
    }
    return { width: out.width, height: out.height, variants };
  }

  /** media:ready to the uploader and to the planets where the media was posted. */
  private async announce(mediaId: number): Promise<void> {
    const media = await Media.findOneBy({ id: mediaId });
    if (!media) return;
    const view = await this.views.toResponse(media);
    this.broadcaster.mediaReady({ mediaId, status: media.status, urls: { ...view.urls }, failureReason: media.failureReason }, media.ownerId, await Media.postedPlanetIds(mediaId));
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn(`media worker: ${err.message}`);
  }
}
