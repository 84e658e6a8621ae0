import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsSafeText } from '../../../common/validation/validators';
import { MESSAGE_CONTENT_MAX } from '../message.enums';

/** Body of PATCH /messages/:id. */
export class EditMessageDto {
  @ApiProperty({ minLength: 1, maxLength: MESSAGE_CONTENT_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(MESSAGE_CONTENT_MAX)
  @IsSafeText()
  content!: string;
}
