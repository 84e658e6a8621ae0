import { In } from 'typeorm';
import type { CurrentUserData } from '../../../common/decorators/current-user.decorator';
import { AppException } from '../../../common/errors/app.exception';
import { PlanetUser } from '../../planet/planet-user.entity';
import { Planet } from '../../planet/planet.entity';
import { Profile } from '../../user/profile.entity';
import { toMessageResponse } from '../dto/message-response.dto';
import type { SearchHitDto, SearchResponseDto } from '../dto/search-response.dto';
import type { SearchDto } from '../dto/search.dto';
import { Message } from '../message.entity';
import { decodeCursor, encodeCursor, SearchCursor } from './search-cursor';
import { relevanceScore } from './search-rank';
import { highlightRanges, MAX_TERMS, parseQuery, recheckTerms, SearchTerm, toTsQuery } from './search-terms';

export type SearchResult = SearchResponseDto;

/** `total` is exact up to this many matches; past it the answer says `totalCapped`. */
export const TOTAL_CAP = 1000;
/** `relevance` ranks only this many of the newest matches (never an unbounded set), then goes newest first. */
export const RELEVANCE_WINDOW = 200;
/** Match sets up to this size are read whole (unordered, through the GIN index) and ordered here. */
export const SET_LIMIT = TOTAL_CAP;
/**
 * Up to this many planets the planet filter may use the (planet_id, search_vector) index; past it,
 * one GIN scan per planet costs more than filtering the heap rows (measured: 200 planets, 0.5 s).
 */
export const PLANET_INDEX_MAX = 8;

/**
 * Message search (issue #4): the terms' lexemes are looked up in the GIN index on
 * (planet_id, search_vector) of undeleted messages, CJK terms of 3+ characters are rechecked with
 * strpos on searchable_text, and the caller's ACTIVE planets are the permission filter.
 * `tuning.setLimit` exists for tests (forces the primary-key path with 0).
 */
export async function searchMessages(user: CurrentUserData, dto: SearchDto, tuning: { setLimit?: number } = {}): Promise<SearchResult> {
  const terms = parseQuery(dto.query);
  if (terms.length === 0) throw AppException.badRequest('query', 'must contain a letter, a digit or a Hangul/CJK character');
  if (terms.length > MAX_TERMS) throw AppException.badRequest('query', `must not have more than ${MAX_TERMS} terms`);
  if (dto.cursor !== undefined && dto.offset > 0) throw AppException.badRequest('cursor', 'cannot be combined with offset');
  const sort = dto.sort ?? 'relevance';
  const cursor = dto.cursor === undefined ? undefined : decodeCursor(dto.cursor, sort);

  const planetIds = await searchScope(user.id, dto);
  if (planetIds.length === 0) return { data: [], total: 0, totalCapped: false, hasMore: false, nextCursor: null };

  const match = matchSql(planetIds, terms);
  // Unordered and capped: this is the exact total, and a small match set comes back whole (ordered
  // and paged here, so a rare term never makes the planner walk the primary key through the whole
  // table); past SET_LIMIT the matches are common enough that walking it newest first is short.
  const setLimit = tuning.setLimit ?? SET_LIMIT;
  const ids = await matchIds(match, Math.max(setLimit, TOTAL_CAP) + 1);
  const complete = ids.length <= setLimit;
  const newest = complete ? fromSet(ids.sort(compareIdsDesc)) : fromIndex(match);
  const page = sort === 'recent' ? await recentPage(newest, dto, cursor) : await relevancePage(newest, terms, dto, cursor);
  return {
    data: await hydrate(page.ids, terms),
    total: Math.min(ids.length, TOTAL_CAP),
    totalCapped: ids.length > TOTAL_CAP,
    hasMore: page.next !== null,
    nextCursor: page.next === null ? null : encodeCursor(page.next),
  };
}

/** The caller's ACTIVE, undeleted planets, narrowed by planetId / travelId (403 when that leaves none). */
async function searchScope(userId: number, dto: SearchDto): Promise<number[]> {
  let ids = await PlanetUser.activePlanetIds(userId);
  if (dto.planetId !== undefined) {
    if (!ids.includes(dto.planetId)) throw AppException.forbidden('You are not an active member of this planet');
    ids = [dto.planetId];
  }
  if (dto.travelId !== undefined) {
    const inTravel = ids.length ? await Planet.find({ select: { id: true }, where: { id: In(ids), travelId: dto.travelId } }) : [];
    if (inTravel.length === 0) throw AppException.forbidden('You are not an active member of any planet of this travel');
    ids = inTravel.map((p) => p.id);
  }
  return ids;
}

interface MatchSql {
  where: string;
  params: unknown[];
}

/** The WHERE clause of a match, every user-derived value a bind parameter. */
function matchSql(planetIds: number[], terms: SearchTerm[]): MatchSql {
  const params: unknown[] = [planetIds, toTsQuery(terms)];
  const planet = planetIds.length <= PLANET_INDEX_MAX ? 'm.planet_id' : '(m.planet_id + 0)';
  let where = `${planet} = ANY($1::int[]) AND m.deleted_at IS NULL AND m.search_vector @@ $2::tsquery`;
  for (const text of recheckTerms(terms)) {
    params.push(text);
    where += ` AND strpos(m.searchable_text, $${params.length}) > 0`;
  }
  return { where, params };
}

async function matchIds(match: MatchSql, limit: number): Promise<string[]> {
  const rows = await Message.managerOf().query<{ id: string }[]>(`SELECT m.id::text AS id FROM message m WHERE ${match.where} LIMIT ${limit}`, match.params);
  return rows.map((r) => r.id);
}

interface NewestOptions {
  beforeId?: string;
  atMostId?: string;
  offset?: number;
}
/** Ids of matches newest first, below `beforeId` / at most `atMostId`, after skipping `offset`. */
type Newest = (limit: number, opts: NewestOptions) => Promise<string[]>;

/** From the whole match set, already sorted newest first. */
function fromSet(sorted: string[]): Newest {
  return async (limit, opts) => {
    let from = 0;
    if (opts.beforeId !== undefined) from = firstIndex(sorted, (id) => compareIdsDesc(id, opts.beforeId!) > 0);
    if (opts.atMostId !== undefined) from = firstIndex(sorted, (id) => compareIdsDesc(id, opts.atMostId!) >= 0);
    from += opts.offset ?? 0;
    return sorted.slice(from, from + limit);
  };
}

/** Binary search: the first index whose id satisfies `ok` (monotone over a newest-first list). */
function firstIndex(sorted: string[], ok: (id: string) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(sorted[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** From the database, newest first along the primary key (for match sets larger than SET_LIMIT). */
function fromIndex(match: MatchSql): Newest {
  return async (limit, opts) => {
    const params = [...match.params];
    let where = match.where;
    if (opts.beforeId !== undefined) {
      params.push(opts.beforeId);
      where += ` AND m.id < $${params.length}::bigint`;
    }
    if (opts.atMostId !== undefined) {
      params.push(opts.atMostId);
      where += ` AND m.id <= $${params.length}::bigint`;
    }
    const rows = await Message.managerOf().query<{ id: string }[]>(
      `SELECT m.id::text AS id FROM message m WHERE ${where} ORDER BY m.id DESC LIMIT ${limit} OFFSET ${opts.offset ?? 0}`,
      params,
    );
    return rows.map((r) => r.id);
  };
}

async function searchableTexts(ids: string[]): Promise<Map<string, string>> {
  const rows = await Message.managerOf().query<{ id: string; text: string }[]>(`SELECT id::text AS id, searchable_text AS text FROM message WHERE id = ANY($1::bigint[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.text]));
}

interface PageIds {
  ids: string[];
  next: SearchCursor | null;
}

async function recentPage(newest: Newest, dto: SearchDto, cursor?: SearchCursor): Promise<PageIds> {
  const beforeId = cursor?.s === 'recent' ? cursor.id : undefined;
  const rows = await newest(dto.limit + 1, { beforeId, offset: cursor ? 0 : dto.offset });
  const ids = rows.slice(0, dto.limit);
  return { ids, next: rows.length > dto.limit ? { s: 'recent', id: ids[ids.length - 1] } : null };
}

/**
 * Ranks the newest RELEVANCE_WINDOW matches (anchored at the first page's newest match, so later
 * pages rank the same window), ties newest first; past the window the matches continue newest first.
 */
async function relevancePage(newest: Newest, terms: SearchTerm[], dto: SearchDto, cursor?: SearchCursor): Promise<PageIds> {
  const anchor = cursor?.s === 'relevance' ? cursor.a : undefined;
  if (cursor?.s === 'relevance' && 't' in cursor) return tailPage(newest, dto.limit, anchor as string, cursor.t, []);

  const window = await newest(RELEVANCE_WINDOW, { atMostId: anchor });
  if (window.length === 0) return { ids: [], next: null };
  const texts = await searchableTexts(window);
  const a = anchor ?? window[0];
  const ranked = window
    .map((id) => ({ id, score: relevanceScore(texts.get(id) ?? '', terms) }))
    .sort((x, y) => y.score - x.score || compareIdsDesc(x.id, y.id))
    .map((r) => r.id);
  const start = cursor?.s === 'relevance' && 'p' in cursor ? cursor.p : dto.offset;
  const ids = ranked.slice(start, start + dto.limit);
  const windowFull = window.length === RELEVANCE_WINDOW;
  if (start + dto.limit < ranked.length) return { ids, next: { s: 'relevance', a, p: start + dto.limit } };
  if (!windowFull) return { ids, next: null };
  return tailPage(newest, dto.limit - ids.length, a, window[window.length - 1], ids);
}

/** Continues past the ranked window (or a tail cursor), newest first. */
async function tailPage(newest: Newest, room: number, anchor: string, beforeId: string, head: string[]): Promise<PageIds> {
  const rows = await newest(room + 1, { beforeId });
  const ids = [...head, ...rows.slice(0, room)];
  const more = rows.length > room;
  if (!more) return { ids, next: null };
  const last = room > 0 ? rows[room - 1] : beforeId;
  return { ids, next: { s: 'relevance', a: anchor, t: last } };
}

function compareIdsDesc(x: string, y: string): number {
  const a = BigInt(x);
  const b = BigInt(y);
  return a > b ? -1 : a < b ? 1 : 0;
}

/** Messages of the page in page order, each with its sender, planet and highlight ranges. */
async function hydrate(ids: string[], terms: SearchTerm[]): Promise<SearchHitDto[]> {
  if (ids.length === 0) return [];
  const messages = await Message.findBy({ id: In(ids) });
  const senderIds = [...new Set(messages.map((m) => m.senderId).filter((id): id is number => id !== null))];
  const [planets, profiles] = await Promise.all([
    Planet.find({ select: { id: true, name: true, travelId: true }, where: { id: In([...new Set(messages.map((m) => m.planetId))]) }, withDeleted: true }),
    senderIds.length ? Profile.find({ select: { userId: true, nickname: true }, where: { userId: In(senderIds) } }) : Promise.resolve([]),
  ]);
  const byId = new Map(messages.map((m) => [String(m.id), m]));
  const planetOf = new Map(planets.map((p) => [p.id, { id: p.id, name: p.name, travelId: p.travelId }]));
  const nickname = new Map(profiles.map((p) => [p.userId, p.nickname]));
  const hits: SearchHitDto[] = [];
  for (const id of ids) {
    const m = byId.get(id);
    if (!m) continue; // hard-deleted between the two queries
    const sender = m.senderId === null ? null : { id: m.senderId, nickname: nickname.get(m.senderId) ?? '' };
    hits.push({ ...toMessageResponse(m, sender), planet: planetOf.get(m.planetId)!, highlights: highlightRanges(m.content, terms) });
  }
  return hits;
}
