import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import sharp from 'sharp';
import { EnvironmentVariables } from '../../config/env';
import { MEDIA_QUEUE } from '../../infrastructure/queue/queue.module';
import { STORAGE_DRIVER, StorageDriver } from '../../infrastructure/storage/storage-driver';
import { MessageBroadcaster } from '../message/gateway/message-broadcaster';
import { Media } from './media.entity';
import { MediaKind } from './media.enums';
import { MEDIA_LIMITS } from './media-types';
import { MediaJob, MediaService } from './media.service';
import { MediaViews, variantKey } from './media-views';
import { makeImageVariants, MediaRejectedError, VARIANT_MIME, VariantName } from './processing/image-variants';

/**
 * Works media jobs from the shared queue: images get their variants (sharp), videos and files are
 * served as uploaded. Every media ends READY or FAILED with a readable reason; a refused image
 * fails at once, other errors are retried with backoff (MEDIA_JOB_ATTEMPTS) and fail on the last
 * attempt. A job whose node died is taken over by another node (BullMQ stalled-job check) once
 * its lock (MEDIA_JOB_LOCK_SECONDS) lapses.
 *
 * The Worker is built here rather than with @Processor: its concurrency and lock timings come from
 * the validated environment, and BullMQ reads them only when the Worker is constructed.
 */
@Injectable()
export class MediaProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MediaWorker');
  private sweep?: NodeJS.Timeout;
  private worker?: Worker<MediaJob, string>;

  constructor(
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly views: MediaViews,
    private readonly broadcaster: MessageBroadcaster,
    private readonly env: EnvironmentVariables,
    private readonly media: MediaService,
    @InjectQueue(MEDIA_QUEUE) private readonly queue: Queue<MediaJob>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.MEDIA_WORKER_ENABLED !== 'true') return;
    // One libvips thread per job: MEDIA_WORKER_CONCURRENCY then bounds the cores media takes from the chat.
    sharp.concurrency(1);
    const lockMs = this.env.MEDIA_JOB_LOCK_SECONDS * 1000;
    this.worker = new Worker<MediaJob, string>(MEDIA_QUEUE, (job) => this.process(job), {
      connection: this.queue.opts.connection,
      prefix: this.queue.opts.prefix,
      concurrency: this.env.MEDIA_WORKER_CONCURRENCY,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    });
    this.worker.on('failed', (job, err) => void this.onFailed(job, err));
    this.worker.on('error', (err) => this.logger.warn(`media worker: ${err.message}`));
    void this.sweepOnce();
    this.sweep = setInterval(() => void this.sweepOnce(), 5 * 60_000).unref();
  }

  /** Re-queues uploads whose job was lost and ends abandoned ones; harmless on several nodes at once. */
  async sweepOnce(): Promise<void> {
    try {
      const requeued = await this.media.requeueStalledUploads();
      if (requeued > 0) this.logger.warn(`re-queued ${requeued} uploads whose job was lost`);
      await this.media.failAbandonedUploads();
    } catch (err) {
      this.logger.warn(`media sweep: ${(err as Error).message}`);
    }
  }

  /** Lets the jobs in hand finish (SIGTERM); a killed node's jobs are taken over by the others. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweep);
    await this.worker?.close();
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
        const failed = await Media.markFailed(media.id, rejected ? err.message : `processing failed after ${job.attemptsMade + 1} attempts (${(err as Error).message})`);
        if (failed) await this.announce(media.id);
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

  /** A job that failed for good outside process() (stalled too often: its nodes kept dying) still ends its media FAILED. */
  async onFailed(job: Job<MediaJob> | undefined, err: Error): Promise<void> {
    if (!job || !(await job.isFailed())) return;
    const failed = await Media.markFailed(job.data.mediaId, `processing failed (${err.message})`).catch(() => false);
    if (failed) await this.announce(job.data.mediaId).catch(() => undefined);
  }
}
