import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { posix } from 'node:path';
import { EnvironmentVariables } from '../../config/env';
import { STORAGE_DRIVER, StorageDriver } from '../../infrastructure/storage/storage-driver';
import type { MediaResponseDto, MediaUrlsDto } from './dto/media-response.dto';
import { In } from 'typeorm';
import { Media } from './media.entity';
import { MediaKind, MediaProvider, MediaStatus } from './media.enums';
import { deliveryUrl } from './cloudflare/cloudflare-images';
import { VARIANT_MIME, VariantName } from './processing/image-variants';

/** Storage key of a variant: beside the original, under the owner's prefix. */
export function variantKey(originalKey: string, name: VariantName): string {
  return posix.join(posix.dirname(originalKey), `${name}.webp`);
}

/**
 * What clients see of a media item: its state and short-lived signed URLs (GET /media/:id,
 * messages, media:ready). Images are served only as their variants (no EXIF); videos and files as
 * uploaded. Before READY there are no URLs.
 */
@Injectable()
export class MediaViews {
  constructor(
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly env: EnvironmentVariables,
  ) {}

  async urlsOf(media: Media): Promise<MediaUrlsDto> {
    if (media.status !== MediaStatus.READY) return {};
    const expiresInSeconds = this.env.MEDIA_DOWNLOAD_URL_TTL_SECONDS;
    if (media.provider === MediaProvider.CLOUDFLARE_IMAGES) {
      const urls: MediaUrlsDto = {};
      for (const name of ['thumbnail', 'preview', 'full'] as const) {
        const url = media.variants?.[name];
        if (url) urls[name] = deliveryUrl(url, this.env.CLOUDFLARE_IMAGES_SIGNING_KEY, expiresInSeconds);
      }
      return urls;
    }
    if (media.provider === MediaProvider.CLOUDFLARE_STREAM) {
      return { ...(media.playbackUrl ? { hls: media.playbackUrl } : {}), ...(media.thumbnailUrl ? { thumbnail: media.thumbnailUrl } : {}) };
    }
    if (media.kind === MediaKind.IMAGE) {
      const urls: MediaUrlsDto = {};
      for (const name of ['thumbnail', 'preview', 'full'] as const) {
        const key = media.variants?.[name];
        if (key) urls[name] = await this.storage.presignDownload(key, { expiresInSeconds, contentType: VARIANT_MIME });
      }
      return urls;
    }
    const urls: MediaUrlsDto = {
      full: await this.storage.presignDownload(media.storageKey, {
        expiresInSeconds,
        contentType: media.mimeType,
        fileName: media.fileName,
      }),
    };
    // Videos served from storage: the poster frame (ffmpeg), when one could be made.
    for (const name of ['thumbnail', 'preview'] as const) {
      const key = media.variants?.[name];
      if (key) urls[name] = await this.storage.presignDownload(key, { expiresInSeconds, contentType: VARIANT_MIME });
    }
    return urls;
  }

  /**
   * Adds each attachment's current `status` and signed `urls` to messages (in place), with one
   * query for all of them. Attachments whose media is gone keep their stored fields only.
   */
  async decorateAttachments<T extends { attachments: { mediaId: number; status?: MediaStatus; urls?: MediaUrlsDto }[] }>(
    messages: T[],
  ): Promise<T[]> {
    const ids = [...new Set(messages.flatMap((m) => m.attachments.map((a) => a.mediaId)))];
    if (ids.length === 0) return messages;
    const byId = new Map((await Media.find({ where: { id: In(ids) } })).map((m) => [m.id, m]));
    for (const message of messages) {
      for (const attachment of message.attachments) {
        const media = byId.get(attachment.mediaId);
        if (!media) continue;
        attachment.status = media.status;
        attachment.urls = await this.urlsOf(media);
      }
    }
    return messages;
  }

  async toResponse(media: Media): Promise<MediaResponseDto> {
    const urls = await this.urlsOf(media);
    return {
      id: media.id,
      kind: media.kind,
      status: media.status,
      fileName: media.fileName,
      mimeType: media.mimeType,
      size: Number(media.size),
      provider: media.provider,
      fallbackReason: media.fallbackReason ?? null,
      durationSeconds: media.durationSeconds ?? null,
      width: media.width,
      height: media.height,
      failureReason: media.failureReason,
      urls,
      ...(Object.keys(urls).length > 0
        ? { urlsExpireAt: new Date(Date.now() + this.env.MEDIA_DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString() }
        : {}),
    };
  }
}

/** MediaViews for any module (messages show their media's state and URLs) without importing MediaModule. */
@Global()
@Module({ providers: [MediaViews], exports: [MediaViews] })
export class MediaViewsModule {}
