import type { CurrentUserData } from '../../../common/decorators/current-user.decorator';
import type { SearchDto } from '../dto/search.dto';

export interface SearchResult {
  data: unknown[];
  total: number;
  hasMore: boolean;
}

/** Message search (issue #4). Not implemented yet: the route answers 501 until it is. */
export function searchMessages(_user: CurrentUserData, _dto: SearchDto): Promise<SearchResult> {
  return Promise.reject(new Error('search not implemented'));
}
