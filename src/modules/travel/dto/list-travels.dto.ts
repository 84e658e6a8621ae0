import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInt } from '../../../common/validation/validators';

/** Query of GET /travels: keyset pagination, newest travel first. */
export class ListTravelsDto {
  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(2147483647)
  cursor?: number;
}
