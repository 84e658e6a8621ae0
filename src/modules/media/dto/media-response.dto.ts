import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MediaKind, MediaProvider, MediaStatus } from '../media.enums';

export class UploadSessionDto {
  @ApiProperty() mediaId!: number;
  @ApiProperty({ enum: ['PUT', 'PATCH'], description: 'PUT for http-put; PATCH (after a HEAD for the offset) for tus' }) method!:
    'PUT' | 'PATCH';
  @ApiProperty({ description: 'where the client sends the bytes, straight to storage or to Cloudflare Stream (the API never sees them)' })
  uploadUrl!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'headers every request must carry (signed, for http-put)',
  })
  headers!: Record<string, string>;
  @ApiProperty({
    enum: ['http-put', 'tus'],
    description:
      'http-put: one PUT of the whole body with these headers. tus: a one-time Cloudflare Stream TUS 1.0.0 upload URL (videos, when Stream is configured): HEAD for Upload-Offset, then PATCH chunks from there; resumable',
  })
  protocol!: 'http-put' | 'tus';
  @ApiPropertyOptional({
    type: 'integer',
    description:
      'tus: the chunk size to PATCH (Stream: at least 5 MiB, a multiple of 256 KiB, at most 200 MiB; the last chunk may be smaller)',
  })
  chunkSize?: number;
  @ApiProperty() expiresAt!: string;
}

export class MediaUrlsDto {
  @ApiPropertyOptional() full?: string;
  @ApiPropertyOptional() preview?: string;
  @ApiPropertyOptional() thumbnail?: string;
  @ApiPropertyOptional({ description: 'videos on Cloudflare Stream: the HLS manifest (…/manifest/video.m3u8)' }) hls?: string;
}

export class MediaResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: MediaKind }) kind!: MediaKind;
  @ApiProperty({ enum: MediaStatus }) status!: MediaStatus;
  @ApiProperty() fileName!: string;
  @ApiProperty() mimeType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ nullable: true, type: Number }) width!: number | null;
  @ApiProperty({ nullable: true, type: Number }) height!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'why processing failed (status FAILED)' }) failureReason!: string | null;
  @ApiProperty({
    enum: MediaProvider,
    description: 'who processed and serves it: local or r2 storage, cloudflare_images, cloudflare_stream',
  })
  provider!: MediaProvider;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'set when Cloudflare could not process it and local processing did instead (why)',
  })
  fallbackReason!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'videos: length in seconds, when known' }) durationSeconds!: number | null;
  @ApiProperty({ type: MediaUrlsDto, description: 'short-lived signed URLs; empty until READY' }) urls!: MediaUrlsDto;
  @ApiPropertyOptional({ description: 'when the URLs stop working' }) urlsExpireAt?: string;
}
