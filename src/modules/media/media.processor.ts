import { InjectQueue } from '@nestjs/bullmq';
import { Metrics } from '../../infrastructure/metrics/metrics.service';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import sharp from 'sharp';
import { EnvironmentVariables } from '../../config/env';
import { MEDIA_QUEUE } from '../../infrastructure/queue/queue.module';
import { STORAGE_DRIVER, StorageDriver } from '../../infrastructure/storage/storage-driver';
import { MessageBroadcaster } from '../message/gateway/message-broadcaster';
import { Media } from './media.entity';
import { MediaKind, MediaProvider } from './media.enums';
import { CloudflareRequestError, CloudflareUnavailableError } from './cloudflare/cloudflare-client';
import { CloudflareImages } from './cloudflare/cloudflare-images';
import { CloudflareStream, StreamVideo } from './cloudflare/cloudflare-stream';
import { ffmpegAvailable, posterFrame } from './processing/video-poster';
import { MEDIA_LIMITS } from './media-types';
import { MediaJob, MediaService } from './media.service';
import { MediaViews, variantKey } from './media-views';
import { checkDimensions, makeImageVariants, MediaRejectedError, VARIANT_MIME, VARIANTS, VariantName } from './processing/image-variants';

type ReadyPatch = Parameters<typeof Media.markReady>[1];

/** Bytes read for an image's dimensions when Cloudflare makes its variants. */
const IMAGE_HEADER_BYTES = 256 * 1024;
/** How long a presigned GET handed to Cloudflare (ingest, copy) stays valid. */
const SOURCE_URL_TTL_SECONDS = 3600;

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
    private readonly images: CloudflareImages,
    private readonly stream: CloudflareStream,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.MEDIA_WORKER_ENABLED !== 'true') return;
    // One libvips thread per job: MEDIA_WORKER_CONCURRENCY then bounds the cores media takes from the chat.
    sharp.concurrency(1);
    const lockMs = this.env.MEDIA_JOB_LOCK_SECONDS * 1000;
    this.worker = new Worker<MediaJob, string>(MEDIA_QUEUE, (job, token) => this.process(job, token), {
      connection: this.queue.opts.connection,
      prefix: this.queue.opts.prefix,
      concurrency: this.env.MEDIA_WORKER_CONCURRENCY,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    });
    this.metrics.trackWorker(this.worker);
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

  async process(job: Job<MediaJob>, token?: string): Promise<string> {
    const media = await Media.startProcessing(job.data.mediaId);
    if (!media) return 'skipped: media gone or already finished';
    try {
      const patch = await this.work(media, job, token);
      const ready = await Media.markReady(media.id, patch);
      if (ready) await this.announce(media.id);
      return 'ready';
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const rejected = err instanceof MediaRejectedError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (rejected || lastAttempt) {
        const failed = await Media.markFailed(
          media.id,
          rejected ? err.message : `processing failed after ${job.attemptsMade + 1} attempts (${(err as Error).message})`,
        );
        if (failed) await this.announce(media.id);
      }
      if (rejected) throw new UnrecoverableError(err.message);
      throw err;
    }
  }

  private async work(media: Media, job: Job<MediaJob>, token?: string): Promise<ReadyPatch> {
    if (media.kind === MediaKind.IMAGE) return this.image(media);
    if (media.kind === MediaKind.VIDEO) return this.video(media, job, token);
    return {};
  }

  /** Cloudflare Images when configured (ingest from a presigned GET), else — or when it fails — local variants, marked as a fallback. */
  private async image(media: Media): Promise<ReadyPatch> {
    let fallbackReason: string | null = null;
    if (this.images.enabled) {
      try {
        const source = await this.storage.presignDownload(media.storageKey, {
          expiresInSeconds: SOURCE_URL_TTL_SECONDS,
          contentType: media.mimeType,
        });
        const { id, variants } = await this.images.ingest(source, { mediaId: media.id });
        const dims = await checkDimensions(await this.storage.readHead(media.storageKey, IMAGE_HEADER_BYTES)).catch(() => null);
        return {
          provider: MediaProvider.CLOUDFLARE_IMAGES,
          externalId: id,
          variants,
          width: dims?.width ?? null,
          height: dims?.height ?? null,
          fallbackReason: null,
        };
      } catch (err) {
        if (!(err instanceof CloudflareUnavailableError || err instanceof CloudflareRequestError)) throw err;
        fallbackReason = `Cloudflare Images could not process it (${err.message}); variants were made locally`.slice(0, 500);
        this.logger.warn(`media ${media.id}: ${fallbackReason}`);
      }
    }
    const original = await this.storage.read(media.storageKey, MEDIA_LIMITS[MediaKind.IMAGE].maxBytes);
    const out = await makeImageVariants(original);
    const variants: Record<string, string> = {};
    for (const name of Object.keys(out.variants) as VariantName[]) {
      const key = variantKey(media.storageKey, name);
      await this.storage.put(key, out.variants[name].data, VARIANT_MIME);
      variants[name] = key;
    }
    return { width: out.width, height: out.height, variants, fallbackReason };
  }

  /**
   * Videos on Stream (uploaded over TUS, or copied here from storage) are polled until ready —
   * the webhook usually gets there first, and then this job finds the media finished. Without
   * Stream, or when the copy fails, the video is served as uploaded with a local poster frame.
   */
  private async video(media: Media, job: Job<MediaJob>, token?: string): Promise<ReadyPatch> {
    if (media.provider === MediaProvider.CLOUDFLARE_STREAM && media.externalId) return this.pollStream(media, job, token);
    let fallbackReason: string | null = null;
    if (this.stream.enabled) {
      try {
        const source = await this.storage.presignDownload(media.storageKey, {
          expiresInSeconds: SOURCE_URL_TTL_SECONDS,
          contentType: media.mimeType,
        });
        const video = await this.stream.copyFromUrl(source, { name: media.fileName, mediaId: media.id });
        await Media.recordExternal(media.id, { externalId: video.uid, provider: MediaProvider.CLOUDFLARE_STREAM });
        return this.pollStream(
          Object.assign(media, { externalId: video.uid, provider: MediaProvider.CLOUDFLARE_STREAM }),
          job,
          token,
          video,
        );
      } catch (err) {
        if (!(err instanceof CloudflareUnavailableError || err instanceof CloudflareRequestError)) throw err;
        fallbackReason = `Cloudflare Stream could not take it (${err.message}); served as uploaded`.slice(0, 500);
        this.logger.warn(`media ${media.id}: ${fallbackReason}`);
      }
    }
    return { variants: await this.poster(media), fallbackReason };
  }

  /** A poster frame as thumbnail and preview (WebP), when ffmpeg is there; none otherwise (the video is still served). */
  private async poster(media: Media): Promise<Record<string, string>> {
    if (!(await ffmpegAvailable(this.env.MEDIA_FFMPEG_PATH))) return {};
    try {
      const frame = await posterFrame(this.env.MEDIA_FFMPEG_PATH, await this.storage.readStream(media.storageKey));
      const variants: Record<string, string> = {};
      for (const name of ['thumbnail', 'preview'] as const) {
        const spec = VARIANTS[name];
        const data = await sharp(frame)
          .resize(spec.width, spec.height, { fit: spec.fit, withoutEnlargement: spec.fit === 'inside' })
          .webp({ quality: 80 })
          .toBuffer();
        const key = variantKey(media.storageKey, name);
        await this.storage.put(key, data, VARIANT_MIME);
        variants[name] = key;
      }
      return variants;
    } catch (err) {
      this.logger.warn(`media ${media.id}: no poster frame (${(err as Error).message})`);
      return {};
    }
  }

  private async pollStream(media: Media, job: Job<MediaJob>, token: string | undefined, known?: StreamVideo): Promise<ReadyPatch> {
    let video: StreamVideo | null | undefined = known;
    if (!video || video.status?.state !== 'ready') {
      try {
        video = await this.stream.video(media.externalId as string);
      } catch (err) {
        if (!(err instanceof CloudflareUnavailableError)) throw err;
        video = undefined; // Stream down: ask again at the next poll
      }
    }
    if (video === null) throw new MediaRejectedError('Cloudflare Stream has no such video (the upload never arrived or was deleted)');
    const state = video?.status?.state;
    if (video && state === 'ready') return streamReadyPatch(video);
    if (state === 'error')
      throw new MediaRejectedError(
        `Cloudflare Stream could not encode the video (${video?.status?.errorReasonText || video?.status?.errorReasonCode || 'no reason given'})`,
      );
    if (Date.now() - job.timestamp > this.env.CLOUDFLARE_STREAM_READY_TIMEOUT_SECONDS * 1000) {
      throw new MediaRejectedError(
        `Cloudflare Stream did not finish the video within ${this.env.CLOUDFLARE_STREAM_READY_TIMEOUT_SECONDS} s`,
      );
    }
    await job.moveToDelayed(Date.now() + this.env.CLOUDFLARE_STREAM_POLL_SECONDS * 1000, token);
    throw new DelayedError();
  }

  /** media:ready to the uploader and to the planets where the media was posted. */
  async announce(mediaId: number): Promise<void> {
    const media = await Media.findOneBy({ id: mediaId });
    if (!media) return;
    const view = await this.views.toResponse(media);
    this.broadcaster.mediaReady(
      { mediaId, status: media.status, urls: { ...view.urls }, failureReason: media.failureReason },
      media.ownerId,
      await Media.postedPlanetIds(mediaId),
    );
  }

  /** A job that failed for good outside process() (stalled too often: its nodes kept dying) still ends its media FAILED. */
  async onFailed(job: Job<MediaJob> | undefined, err: Error): Promise<void> {
    if (!job || !(await job.isFailed())) return;
    const failed = await Media.markFailed(job.data.mediaId, `processing failed (${err.message})`).catch(() => false);
    if (failed) await this.announce(job.data.mediaId).catch(() => undefined);
  }
}

/** What a ready Stream video gives: its HLS manifest, thumbnail, length and size. */
export function streamReadyPatch(video: StreamVideo): Pick<Media, 'playbackUrl' | 'thumbnailUrl' | 'durationSeconds' | 'width' | 'height'> {
  return {
    playbackUrl: video.playback?.hls ?? null,
    thumbnailUrl: video.thumbnail ?? null,
    durationSeconds: typeof video.duration === 'number' && video.duration >= 0 ? video.duration : null,
    width: video.input?.width || null,
    height: video.input?.height || null,
  };
}
