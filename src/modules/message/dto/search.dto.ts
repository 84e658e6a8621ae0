import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsSafeText, ToInt } from '../../../common/validation/validators';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export const SEARCH_SORTS = ['relevance', 'recent'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Query of GET /api/v1/messages/search (the seed's SearchDto, with bounds). */
export class SearchDto {
  @ApiProperty({
    minLength: 2,
    maxLength: 100,
    example: '부산',
    description:
      'Terms split on whitespace; every term must match. Hangul/CJK terms match anywhere as substrings, Latin/digit terms match the start of a word (case-insensitive); mixed-script terms are split where the script changes. At most 10 terms.',
  })
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  @IsSafeText()
  query!: string;

  @ApiPropertyOptional({ description: 'Only this planet (403 unless you are an ACTIVE member).' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(2147483647)
  planetId?: number;

  @ApiPropertyOptional({ description: 'Only planets of this travel (403 unless you are an ACTIVE member of one of them).' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(2147483647)
  travelId?: number;

  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 50 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(50)
  limit = 20;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 200, description: 'Bounded; go deeper with `cursor`.' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(200)
  offset = 0;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page (same query and sort); excludes `offset`.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a cursor returned by this endpoint' })
  cursor?: string;

  @ApiPropertyOptional({
    enum: SEARCH_SORTS,
    default: 'relevance',
    description: '`relevance` ranks the newest 200 matches (ties by recency), then continues newest first; `recent` is newest first.',
  })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort: SearchSort = 'relevance';
}
