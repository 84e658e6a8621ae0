import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';
import { AppException } from '../../common/errors/app.exception';
import { EnvironmentVariables } from '../../config/env';
import { MEDIA_QUEUE } from '../../infrastructure/queue/queue.module';
import { mediaKey, STORAGE_DRIVER, StorageDriver } from '../../infrastructure/storage/storage-driver';
import { PlanetUser } from '../planet/planet-user.entity';
import type { CreateUploadDto } from './dto/create-upload.dto';
import type { MediaResponseDto, UploadSessionDto } from './dto/media-response.dto';
import { Media } from './media.entity';
import { MediaKind, MediaProvider, MediaStatus } from './media.enums';
import { checkAnnouncedUpload, extensionOf, MAGIC_BYTES, matchesMagic } from './media-types';
import { MediaViews } from './media-views';
import { checkDimensions, MediaRejectedError } from './processing/image-variants';
import { CloudflareRequestError, CloudflareUnavailableError } from './cloudflare/cloudflare-client';
import { CloudflareStream, TUS_RECOMMENDED_CHUNK } from './cloudflare/cloudflare-stream';

export interface MediaJob {
  mediaId: number;
}

/** Bytes read at completion for images: enough for the header (dimensions) of JPEG, PNG and WebP. */
const IMAGE_HEADER_BYTES = 256 * 1024;

class UploadRejected extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

@Injectable()
export class MediaService implements OnModuleInit {
  private readonly logger = new Logger('Media');

  constructor(
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @InjectQueue(MEDIA_QUEUE) private readonly queue: Queue<MediaJob>,
    private readonly views: MediaViews,
    private readonly env: EnvironmentVariables,
    private readonly stream: CloudflareStream,
  ) {}

  onModuleInit(): void {
    this.queue.on('error', (err) => this.logger.warn(`media queue: ${err.message}`));
  }

  /** Checks what is announced, then hands out a signed PUT for one key under the owner's prefix. */
  async createUpload(user: CurrentUserData, dto: CreateUploadDto): Promise<UploadSessionDto> {
    const fileName = dto.fileName.normalize('NFC');
    const problem = checkAnnouncedUpload({ ...dto, fileName });
    if (problem) throw AppException.badRequest(problem[0], problem[1]);
    const key = mediaKey(user.id, randomUUID(), `original.${extensionOf(fileName)}`);
    if (dto.kind === MediaKind.VIDEO && this.stream.enabled) {
      const tus = await this.createStreamUpload(user, dto, fileName, key);
      if (tus) return tus;
    }
    const target = await this.storage.presignUpload(key, {
      contentType: dto.mimeType,
      size: dto.size,
      expiresInSeconds: this.env.MEDIA_UPLOAD_URL_TTL_SECONDS,
    });
    const media = await Media.create({
      ownerId: user.id,
      kind: dto.kind,
      provider: this.storage.name === 's3' ? MediaProvider.R2 : MediaProvider.LOCAL,
      storageKey: key,
      fileName,
      mimeType: dto.mimeType,
      size: String(dto.size),
    }).save();
    return {
      mediaId: media.id,
      method: target.method,
      uploadUrl: target.url,
      headers: target.headers,
      protocol: 'http-put',
      expiresAt: target.expiresAt.toISOString(),
    };
  }

  /**
   * Videos with Stream: a one-time TUS URL at Cloudflare (direct creator upload), so a phone on a
   * flaky network resumes from the server's offset. Null when Stream cannot be reached: the caller
   * falls back to a presigned PUT to storage, and the worker copies the video to Stream later.
   */
  private async createStreamUpload(
    user: CurrentUserData,
    dto: CreateUploadDto,
    fileName: string,
    key: string,
  ): Promise<UploadSessionDto | null> {
    const expiresAt = new Date(Date.now() + this.env.MEDIA_UPLOAD_URL_TTL_SECONDS * 1000);
    let upload: { uid: string; uploadUrl: string };
    try {
      upload = await this.stream.createDirectUpload({ size: dto.size, name: fileName, expiresAt });
    } catch (err) {
      if (!(err instanceof CloudflareUnavailableError || err instanceof CloudflareRequestError)) throw err;
      this.logger.warn(`Stream direct upload not available, answering a storage upload instead: ${err.message}`);
      return null;
    }
    const media = await Media.create({
      ownerId: user.id,
      kind: dto.kind,
      provider: MediaProvider.CLOUDFLARE_STREAM,
      externalId: upload.uid,
      // Never written: the bytes go to Stream. Kept so every media has a key under its owner's prefix.
      storageKey: key,
      fileName,
      mimeType: dto.mimeType,
      size: String(dto.size),
    }).save();
    return {
      mediaId: media.id,
      method: 'PATCH',
      uploadUrl: upload.uploadUrl,
      headers: { 'Tus-Resumable': '1.0.0' },
      protocol: 'tus',
      chunkSize: TUS_RECOMMENDED_CHUNK,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /**
   * Owner only, once: a conditional UPDATE claims the upload, then the stored object is checked
   * (exists, announced size, magic bytes, image dimensions) and processing is queued. A refused
   * upload is deleted from storage and its media ends FAILED with the reason.
   */
  async complete(user: CurrentUserData, id: number): Promise<MediaResponseDto> {
    const claim = await Media.claimCompletion(id, user.id);
    if (claim.kind === 'not-found') throw AppException.notFound('Media');
    if (claim.kind === 'already') throw AppException.conflict(`This upload was already completed (status ${claim.status})`, 'mediaId');
    const media = claim.media;
    try {
      await this.verifyStored(media);
    } catch (err) {
      if (err instanceof UploadRejected) {
        await this.storage
          .delete(media.storageKey)
          .catch((e: Error) => this.logger.warn(`could not delete refused upload ${media.storageKey}: ${e.message}`));
        await Media.markFailed(media.id, err.message);
        throw AppException.badRequest(err.field, err.problem);
      }
      await Media.releaseClaim(media.id);
      if (err instanceof AppException) throw err;
      this.logger.warn(`completing media ${media.id}: ${(err as Error).message}`);
      throw AppException.unavailable('Storage could not be checked; try again');
    }
    try {
      await this.enqueue(media.id);
    } catch (err) {
      await Media.releaseClaim(media.id);
      this.logger.warn(`queueing media ${media.id}: ${(err as Error).message}`);
      throw AppException.unavailable('Processing could not be queued; try again');
    }
    return this.views.toResponse(media);
  }

  /** Queues processing; the job id makes a repeat (recovery sweep, another node) a no-op while the job exists. */
  async enqueue(mediaId: number): Promise<void> {
    await this.queue.add(
      'process',
      { mediaId },
      {
        jobId: `media-${mediaId}`,
        attempts: this.env.MEDIA_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      },
    );
  }

  /** Re-queues uploads whose job was lost (a node died between the claim and the queue); any worker node may run it. */
  async requeueStalledUploads(olderThanSeconds = 120): Promise<number> {
    const ids = await Media.findStalledUploads(olderThanSeconds);
    for (const id of ids) await this.enqueue(id);
    return ids.length;
  }

  /** Fails uploads whose URL expired without a complete, and deletes whatever a PUT left of them. */
  async failAbandonedUploads(): Promise<number> {
    const abandoned = await Media.failAbandonedUploads(this.env.MEDIA_UPLOAD_URL_TTL_SECONDS + 60);
    for (const m of abandoned)
      await this.storage
        .delete(m.storageKey)
        .catch((e: Error) => this.logger.warn(`could not delete abandoned upload ${m.storageKey}: ${e.message}`));
    return abandoned.length;
  }

  private async verifyStored(media: Media): Promise<void> {
    if (media.provider === MediaProvider.CLOUDFLARE_STREAM) return this.verifyStreamUpload(media);
    const stored = await this.storage.head(media.storageKey);
    if (!stored) throw AppException.conflict('Nothing was uploaded yet: PUT the file to uploadUrl, then complete', 'mediaId');
    if (stored.size !== Number(media.size))
      throw new UploadRejected('size', `was announced as ${media.size} bytes but the upload has ${stored.size}`);
    const head = await this.storage.readHead(media.storageKey, media.kind === MediaKind.IMAGE ? IMAGE_HEADER_BYTES : MAGIC_BYTES);
    if (!matchesMagic(media.mimeType, head)) throw new UploadRejected('mimeType', `is ${media.mimeType} but the uploaded bytes are not`);
    if (media.kind === MediaKind.IMAGE) {
      try {
        await checkDimensions(head);
      } catch (err) {
        // A header that does not fit in the first bytes is checked again by the worker; only limits are refused here.
        if (err instanceof MediaRejectedError && /px a side|megapixels/.test(err.message)) throw new UploadRejected('file', err.message);
      }
    }
  }

  /** A TUS upload to Stream: Stream must have all of it (not `pendingupload`), with the announced size. Stream itself refuses what is not a video. */
  private async verifyStreamUpload(media: Media): Promise<void> {
    let video;
    try {
      video = await this.stream.video(media.externalId as string);
    } catch (err) {
      if (err instanceof CloudflareUnavailableError || err instanceof CloudflareRequestError)
        throw new Error(`Cloudflare Stream: ${err.message}`, { cause: err });
      throw err;
    }
    const state = video?.status?.state;
    if (!video || state === 'pendingupload' || state === undefined)
      throw AppException.conflict('Nothing was uploaded yet: finish the TUS upload to uploadUrl, then complete', 'mediaId');
    if (typeof video.size === 'number' && video.size > 0 && video.size !== Number(media.size))
      throw new UploadRejected('size', `was announced as ${media.size} bytes but the upload has ${video.size}`);
    if (state === 'error')
      throw new UploadRejected(
        'file',
        `Cloudflare Stream refused the video (${video.status?.errorReasonText || video.status?.errorReasonCode || 'no reason given'})`,
      );
  }

  /** The owner, or an ACTIVE member of a planet where the media was posted; anyone else gets 404. */
  async get(user: CurrentUserData, id: number): Promise<MediaResponseDto> {
    const media = await Media.findOneBy({ id });
    if (!media || !(await this.maySee(media, user.id))) throw AppException.notFound('Media');
    return this.views.toResponse(media);
  }

  private async maySee(media: Media, userId: number): Promise<boolean> {
    if (media.ownerId === userId) return true;
    if (media.status === MediaStatus.PENDING) return false;
    for (const planetId of await Media.postedPlanetIds(media.id)) {
      if (await PlanetUser.isActiveMember(planetId, userId)) return true;
    }
    return false;
  }
}
