import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsSafeText, IsBigId } from '../../../common/validation/validators';
import { MESSAGE_CONTENT_MAX } from '../message.enums';

export const MEDIA_PER_MESSAGE_MAX = 10;

/** Body of POST /planets/:planetId/messages. Content or media is required (checked by the service). */
export class SendMessageDto {
  @ApiPropertyOptional({ maxLength: MESSAGE_CONTENT_MAX, example: '내일 부산에서 만나요' })
  @IsOptional()
  @IsString()
  @MaxLength(MESSAGE_CONTENT_MAX)
  @IsSafeText()
  content?: string;

  @ApiPropertyOptional({ example: '1024', description: 'a message of the same planet (bigint as a string)' })
  @IsOptional()
  @IsString()
  @IsBigId()
  replyToMessageId?: string;

  @ApiPropertyOptional({ type: [Number], maxItems: MEDIA_PER_MESSAGE_MAX, description: 'uploaded media of the caller' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MEDIA_PER_MESSAGE_MAX)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2147483647, { each: true })
  mediaIds?: number[];

  @ApiPropertyOptional({ maxLength: 64, description: 'client-chosen id: resending the same clientId returns the first message' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'clientId must be 1-64 characters of A-Z a-z 0-9 _ . : -' })
  clientId?: string;
}
