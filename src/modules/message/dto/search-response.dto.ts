import { ApiProperty } from '@nestjs/swagger';
import { MessageResponseDto, toMessageResponse } from './message-response.dto';
import type { SearchResult } from '../search/message-search';

export class SearchPlanetRefDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() travelId!: number;
}

export class HighlightRangeDto {
  @ApiProperty({ description: 'UTF-16 offset into content, inclusive' }) start!: number;
  @ApiProperty({ description: 'UTF-16 offset into content, exclusive' }) end!: number;
}

/** One hit: the one message shape, plus its planet and where the terms occur in its content. */
export class SearchHitDto extends MessageResponseDto {
  @ApiProperty({ type: SearchPlanetRefDto }) planet!: SearchPlanetRefDto;
  @ApiProperty({ type: [HighlightRangeDto] }) highlights!: HighlightRangeDto[];
}

export class SearchResponseDto {
  @ApiProperty({ type: [SearchHitDto] }) data!: SearchHitDto[];
  @ApiProperty({ description: 'Exact number of matches, up to 1,000 (see totalCapped)' }) total!: number;
  @ApiProperty({ description: 'true when there are more than 1,000 matches (total then says 1000)' }) totalCapped!: boolean;
  @ApiProperty() hasMore!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!:
    string | null;
}

/** Search records (Message.search) as the API answer. */
export function toSearchResponse({ hits, ...page }: SearchResult): SearchResponseDto {
  return { data: hits.map((h) => ({ ...toMessageResponse(h.message, h.sender), planet: h.planet, highlights: h.highlights })), ...page };
}
