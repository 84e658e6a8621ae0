import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { BIG_ID_PATTERN } from './send-message.dto';

/** Body of POST /planets/:planetId/read: "I have read up to here". */
export class ReadMessagesDto {
  @ApiProperty({ example: '1024', description: 'a message of this planet (bigint as a string)' })
  @IsString()
  @Matches(BIG_ID_PATTERN, { message: 'messageId must be a positive integer id' })
  messageId!: string;
}
