import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MediaKind, MediaStatus } from '../media.enums';

export class UploadSessionDto {
  @ApiProperty() mediaId!: number;
  @ApiProperty({ enum: ['PUT'] }) method!: 'PUT';
  @ApiProperty({ description: 'where the client sends the bytes, straight to storage' }) uploadUrl!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'headers the request must carry (signed)' }) headers!: Record<string, string>;
  @ApiProperty({ enum: ['http-put'], description: 'http-put: one PUT of the whole body with these headers' }) protocol!: 'http-put';
  @ApiProperty() expiresAt!: string;
}

export class MediaUrlsDto {
  @ApiPropertyOptional() full?: string;
  @ApiPropertyOptional() preview?: string;
  @ApiPropertyOptional() thumbnail?: string;
  @ApiPropertyOptional() hls?: string;
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
  @ApiProperty({ type: MediaUrlsDto, description: 'short-lived signed URLs; empty until READY' }) urls!: MediaUrlsDto;
  @ApiPropertyOptional({ description: 'when the URLs stop working' }) urlsExpireAt?: string;
}
