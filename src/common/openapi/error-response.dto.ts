import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One field at fault (API.md, Errors). */
export class ErrorDetailDto {
  @ApiProperty({ example: 'query' }) field!: string;
  @ApiProperty({ example: 'must be at least 2 characters' }) problem!: string;
}

/** API.md's one error shape: every 4xx and 5xx answer, REST and socket acks alike. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request', description: 'The HTTP reason phrase of statusCode' }) error!: string;
  @ApiProperty({ example: 'query must be at least 2 characters' }) message!: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto], description: 'Present when fields are at fault' }) details?: ErrorDetailDto[];
}
