import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsSafeText, Trim } from '../../../common/validation/validators';
import { MediaKind } from '../media.enums';
import { MEDIA_LIMITS, MEDIA_TYPES } from '../media-types';

/** Body of POST /media/uploads: what the client is about to upload (checked against MEDIA_LIMITS and MEDIA_TYPES). */
export class CreateUploadDto {
  @ApiProperty({ enum: MediaKind })
  @IsEnum(MediaKind)
  kind!: MediaKind;

  @ApiProperty({ minLength: 1, maxLength: 255, example: '해운대.jpg', description: 'a plain file name whose extension fits mimeType' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsSafeText({ singleLine: true })
  fileName!: string;

  @ApiProperty({ enum: Object.keys(MEDIA_TYPES), example: 'image/jpeg' })
  @IsString()
  @MinLength(1)
  @MaxLength(127)
  mimeType!: string;

  @ApiProperty({
    minimum: 1,
    maximum: MEDIA_LIMITS[MediaKind.VIDEO].maxBytes,
    description: 'exact size in bytes; images at most 10 MiB, videos 200 MiB, files 50 MiB',
  })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  size!: number;
}
