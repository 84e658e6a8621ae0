import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** Body of POST /travels/:id/members. */
export class AddMemberDto {
  @ApiProperty({ example: 42 })
  @IsInt()
  @Min(1)
  @Max(2147483647)
  userId!: number;
}
