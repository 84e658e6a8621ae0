import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { IsBigId } from '../../../common/validation/validators';

/** Body of POST /planets/:planetId/read: "I have read up to here". */
export class ReadMessagesDto {
  @ApiProperty({ example: '1024', description: 'a message of this planet (bigint as a string)' })
  @IsString()
  @IsBigId()
  messageId!: string;
}
