import { EntityManager, In } from 'typeorm';
import type { CurrentUserData } from '../../../common/decorators/current-user.decorator';
import { AppException } from '../../../common/errors/app.exception';
import { PlanetUser } from '../../planet/planet-user.entity';
import { Planet } from '../../planet/planet.entity';
import type { SearchDto } from '../dto/search.dto';
import { messageColumns, MessageRecord, MessageRow, rowToMessage, SenderRef, senderOf } from '../queries/message-row';
import { decodeCursor, encodeCursor, SearchCursor } from './search-cursor';
import { relevanceScore } from './search-rank';
import { lexemeStats, LexemeStats } from './search-stats';
import { HighlightRange, highlightRanges, MAX_TERMS, parseQuery, planTerm, quote, SearchTerm, TermPlan } from './search-terms';

/** One hit as a record: the message, its sender, its planet and the highlight ranges in its content. */
export interface SearchHit {
  message: MessageRecord;
  sender: SenderRef | null;
  planet: { id: number; name: string; travelId: number };
  highlights: HighlightRange[];
}

/** A page of hits (records: MessageService maps them to SearchResponseDto). */
export interface SearchResult {
  hits: SearchHit[];
  total: number;
  totalCapped: boolean;
  hasMore: boolean;
  nextCursor: string | null;
}

/** `total` is exact up to this many matches; past it the answer says `totalCapped`. */
export const TOTAL_CAP = 1000;
/** `relevance` ranks only this many of the newest matches (never an unbounded set), then goes newest first. */
export const RELEVANCE_WINDOW = 200;
/** Match sets up to this size are complete: ordered and paged here, without another query. */
export const SET_LIMIT = TOTAL_CAP;
/**
 * Up to this many planets the planet filter may use the (planet_id, search_vector) index; past it,
 * one GIN scan per planet costs more than filtering the heap rows (measured: 200 planets, 0.5 s).
 */
export const PLANET_INDEX_MAX = 8;
/**
 * Strategy by the estimated number of matching rows in the whole table (from lexeme statistics).
 * When even the upper bound (the rarest term's frequency) is at most ORDERED_MAX, the index is read
 * and the newest TOTAL_CAP + 1 matches come back ordered in one query (its cost grows with the
 * matches). Otherwise the total is counted, unordered, through the index, or, from a likely
 * SCAN_MIN matches on, by scanning the table with plain filters (it meets TOTAL_CAP + 1 matches
 * sooner than the index can list them all). Alongside, on a second connection, the first page's
 * newest matches are found: for common matches walking the primary key through at most HEAD_WINDOW
 * of the newest rows; otherwise through the index ANDed with an id range of the newest rows
 * (a BitmapAnd: only matches in the range are read), widened until the page is full.
 */
export const ORDERED_MAX = 8_000;
export const SCAN_MIN = 50_000;
export const HEAD_WINDOW = 40_000;
/** Bounds of the first id range of an index read (later ranges grow with the matches still missing). */
export const RANGE_MIN = 20_000;
export const RANGE_MAX = 80_000;
/** Within an id range, a term whose key is in more than this fraction of rows is tested on the row. */
export const COMMON_KEY = 0.1;

/**
 * `ordered`: GIN index, `ORDER BY id DESC LIMIT cap + 1` (rare matches). `index`: GIN index,
 * unordered `LIMIT cap + 1`, then newest-first walks. `scan`: no index, unordered scan with filters,
 * then newest-first walks (common matches).
 */
export type SearchStrategy = 'ordered' | 'index' | 'scan';

/** Test hooks: force a strategy, or a smaller complete-set size (exercises the paths of large sets). */
export interface SearchTuning {
  strategy?: SearchStrategy;
  setLimit?: number;
  headWindow?: number;
}

/**
 * Message search (issue #4): each term is looked up by its rarest lexeme (by the column's
 * statistics) in the GIN index on (planet_id, search_vector) of undeleted messages, or, when every
 * term is common, by filtering rows newest first; CJK terms of 4+ characters are rechecked with
 * strpos on searchable_text; the caller's ACTIVE planets are the permission filter.
 */
export async function searchMessages(
  manager: EntityManager,
  user: CurrentUserData,
  dto: SearchDto,
  tuning: SearchTuning = {},
): Promise<SearchResult> {
  const terms = parseQuery(dto.query);
  if (terms.length === 0) throw AppException.badRequest('query', 'must contain a letter, a digit or a Hangul/CJK character');
  if (terms.length > MAX_TERMS) throw AppException.badRequest('query', `must not have more than ${MAX_TERMS} terms`);
  if (dto.cursor !== undefined && dto.offset > 0) throw AppException.badRequest('cursor', 'cannot be combined with offset');
  const sort = dto.sort ?? 'relevance';
  const cursor = dto.cursor === undefined ? undefined : decodeCursor(dto.cursor, sort);

  const [planetIds, maxId] = await Promise.all([searchScope(manager, user.id, dto), newestId(manager)]);
  if (planetIds.length === 0) return { hits: [], total: 0, totalCapped: false, hasMore: false, nextCursor: null };

  const stats = await lexemeStats(manager);
  const plan = planMatch(planetIds, terms, stats);
  const strategy = tuning.strategy ?? plan.strategy;
  const setLimit = tuning.setLimit ?? SET_LIMIT;
  const fetch = Math.max(setLimit, TOTAL_CAP) + 1;
  // the first page's need of newest matches (none for later pages: they start at their cursor)
  const want =
    cursor !== undefined ? 0 : sort === 'recent' ? dto.offset + dto.limit + 1 : Math.max(RELEVANCE_WINDOW, dto.offset + dto.limit + 1);
  // an id range expected to hold the page (a third of the rows visible, matches as frequent as estimated)
  const density = stats.rows > 0 ? plan.estimate / stats.rows : 0;
  const range =
    tuning.headWindow ?? Math.round(Math.min(RANGE_MAX, Math.max(RANGE_MIN, (3 * Math.max(want, 1)) / Math.max(density, 1e-9))));
  // texts the first page's reads bring along for relevance, so the window is not read twice
  const texts = sort === 'relevance' && want > 0 ? new Map<string, string>() : undefined;
  const byRange = fromRanges(manager, plan, maxId, range);
  let newest: Newest;
  let found: number;
  if (strategy === 'ordered') {
    // Rare: every match the index lists is read (their number is small), newest first.
    const ids = await selectIds(manager, plan.index, '', `ORDER BY m.id DESC LIMIT ${fetch}`);
    found = ids.length;
    newest = ids.length <= setLimit ? fromSet(ids) : fromHead(ids.slice(0, setLimit), byRange);
  } else {
    // Unordered and capped: the exact total, and a small match set comes back whole (ordered and
    // paged here). Past setLimit the newest come from the head read alongside, then walk on.
    const walk = fromWalk(manager, plan.filter);
    const head = (): Promise<string[] | null> => {
      if (want === 0) return Promise.resolve(null);
      if (strategy === 'index') return fromRanges(manager, plan, maxId, range, texts)(want, {});
      const window = tuning.headWindow ?? HEAD_WINDOW;
      return selectIds(
        manager,
        plan.filter,
        `AND m.id > $${plan.filter.params.length + 1}::bigint`,
        `ORDER BY m.id DESC LIMIT ${want}`,
        [(maxId - BigInt(window)).toString()],
        texts,
      );
    };
    const [ids, first] = await Promise.all([
      selectIds(manager, strategy === 'index' ? plan.index : plan.filter, '', `LIMIT ${fetch}`),
      head(),
    ]);
    found = ids.length;
    if (ids.length <= setLimit) newest = fromSet(ids.sort(compareIdsDesc));
    else if (first === null) newest = strategy === 'index' ? byRange : walk;
    // a short walk window means the matches are rarer than estimated: go on through the index
    else newest = fromHead(first, strategy === 'index' || first.length < want ? byRange : walk);
  }
  const page = sort === 'recent' ? await recentPage(newest, dto, cursor) : await relevancePage(manager, newest, terms, dto, cursor, texts);
  return {
    hits: await hydrate(manager, page.ids, terms),
    total: Math.min(found, TOTAL_CAP),
    totalCapped: found > TOTAL_CAP,
    hasMore: page.next !== null,
    nextCursor: page.next === null ? null : encodeCursor(page.next),
  };
}

/** The caller's ACTIVE, undeleted planets, narrowed by planetId / travelId (403 when that leaves none). */
async function searchScope(manager: EntityManager, userId: number, dto: SearchDto): Promise<number[]> {
  let ids = await PlanetUser.activePlanetIds(userId, manager);
  if (dto.planetId !== undefined) {
    if (!ids.includes(dto.planetId)) throw AppException.forbidden('You are not an active member of this planet');
    ids = [dto.planetId];
  }
  if (dto.travelId !== undefined) {
    const inTravel = ids.length ? await manager.find(Planet, { select: { id: true }, where: { id: In(ids), travelId: dto.travelId } }) : [];
    if (inTravel.length === 0) throw AppException.forbidden('You are not an active member of any planet of this travel');
    ids = inTravel.map((p) => p.id);
  }
  return ids;
}

interface MatchSql {
  where: string;
  params: unknown[];
}

interface MatchPlan {
  /** Through the GIN index: the chosen key of every term ANDed, plus strpos rechecks. */
  index: MatchSql;
  /** As `index`, but very common terms (over COMMON_KEY) tested on the row: for reads within an id range. */
  ranged: MatchSql;
  /** Without the index (no `@@`): plain filters on the row, for scans and newest-first walks. */
  filter: MatchSql;
  strategy: SearchStrategy;
  /** Estimated matching rows in the whole table (before the permission filter). */
  estimate: number;
  /** At most this many (the rarest term's rows), as far as the statistics go. */
  upper: number;
}

/** Upper bound of the fraction of rows a term matches, and the key to look it up by. */
function termCost(p: TermPlan, stats: LexemeStats): { freq: number; key: string | null } {
  if (p.prefix !== null) return { freq: p.estimateKeys.length ? stats.freq(p.estimateKeys[0]) : stats.prefixFreq(p.term.text), key: null };
  let best = { freq: Infinity, key: p.keys[0] };
  for (const k of p.keys) {
    const f = stats.freq(k);
    if (f < best.freq) best = { freq: f, key: k };
  }
  return best;
}

/**
 * The WHERE clauses of a match (every user-derived value a bind parameter) and the strategy. Terms
 * are usually positively correlated (`데비안 패키지`), so the estimate of several terms is the
 * geometric mean of the independent product and the rarest term's frequency.
 */
export function planMatch(planetIds: number[], terms: SearchTerm[], stats: LexemeStats): MatchPlan {
  const plans = terms.map(planTerm);
  const costs = plans.map((p) => termCost(p, stats));
  const rarest = Math.min(...costs.map((c) => c.freq));
  const product = costs.reduce((acc, c) => acc * c.freq, 1);
  const estimate = Math.sqrt(rarest * product) * stats.rows;
  const upper = rarest * stats.rows;
  const strategy: SearchStrategy = stats.rows === 0 || upper <= ORDERED_MAX ? 'ordered' : estimate < SCAN_MIN ? 'index' : 'scan';

  const planet = planetIds.length <= PLANET_INDEX_MAX ? 'm.planet_id' : '(m.planet_id + 0)';
  const base = `${planet} = ANY($1::int[]) AND m.deleted_at IS NULL`;

  // ts_match_vq is the function behind `@@`: the same test on the row, but never an index condition.
  const rowTest = (m: MatchSql, p: TermPlan) => {
    m.params.push(p.term.text);
    m.where += ` AND strpos(m.searchable_text, $${m.params.length}) > 0`;
    if (p.term.kind === 'word') {
      m.params.push(p.exact);
      m.where += ` AND ts_match_vq(m.search_vector, $${m.params.length}::tsquery)`;
    }
  };

  // The index ANDs one key per term: the GIN scan intersects them, so rows that lack a term are
  // dropped before the table is read (testing a common term on the rows instead was measured
  // slower whenever the terms rarely meet: `설치 커널`, or `debian` alone for `debian 패키지`, 67 ms).
  // Reads bounded to an id range leave out the keys of very common terms (over COMMON_KEY: decoding
  // a posting list of 180k rows costs 5–9 ms) and test those terms on the rows, which the range
  // bounds. (Leaving out every key but the rarest was tried: the planner then misjudges strpos and
  // walks the whole range, 34 ms for `설치 커널`.)
  const byIndex = (keyed: (i: number) => boolean): MatchSql => {
    const tsquery = plans
      .map((p, i) => (keyed(i) ? (p.prefix ?? quote(costs[i].key!)) : null))
      .filter((k) => k !== null)
      .join(' & ');
    const m: MatchSql = { where: `${base} AND m.search_vector @@ $2::tsquery`, params: [planetIds, tsquery] };
    plans.forEach((p, i) => {
      if (!keyed(i)) rowTest(m, p);
      else if (p.exact === null) {
        m.params.push(p.term.text);
        m.where += ` AND strpos(m.searchable_text, $${m.params.length}) > 0`;
      }
    });
    return m;
  };
  const rarestAt = costs.findIndex((c) => c.freq === rarest);
  const index = byIndex(() => true);
  const ranged = byIndex((i) => i === rarestAt || costs[i].freq <= COMMON_KEY);

  const filter: MatchSql = { where: base, params: [planetIds] };
  for (const p of plans) rowTest(filter, p);
  return { index, ranged, filter, strategy, estimate, upper };
}

/** The newest message id (an index-only look at the primary key), the top of the id ranges. */
async function newestId(manager: EntityManager): Promise<bigint> {
  const [row] = await manager.query<{ max: string }[]>(`SELECT coalesce(max(id), 0)::text AS max FROM message`);
  return BigInt(row.max);
}

/** Ids of matches; with `texts`, their searchable texts too (relevance ranks them next). */
async function selectIds(
  manager: EntityManager,
  match: MatchSql,
  and: string,
  tail: string,
  extra: unknown[] = [],
  texts?: Map<string, string>,
): Promise<string[]> {
  const rows = await manager.query<{ id: string; text?: string }[]>(
    `SELECT m.id::text AS id${texts ? ', m.searchable_text AS text' : ''} FROM message m WHERE ${match.where} ${and} ${tail}`,
    [...match.params, ...extra],
  );
  if (texts) for (const r of rows) texts.set(r.id, r.text ?? '');
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

/** The newest matches from `head` (already sorted), continuing from `rest` below its last id. */
function fromHead(head: string[], rest: Newest): Newest {
  if (head.length === 0) return rest;
  const last = head[head.length - 1];
  const inHead = fromSet(head);
  return async (limit, opts) => {
    const got = await inHead(limit + (opts.offset ?? 0) + head.length, { ...opts, offset: 0 });
    const skip = opts.offset ?? 0;
    const ids = got.slice(skip, skip + limit);
    if (ids.length === limit) return ids;
    const restOpts: NewestOptions = { offset: Math.max(0, skip - got.length) };
    const below = (id: string | undefined) => id !== undefined && compareIdsDesc(id, last) > 0; // older than the head's last
    if (below(opts.beforeId)) restOpts.beforeId = opts.beforeId;
    else if (below(opts.atMostId)) restOpts.atMostId = opts.atMostId;
    else restOpts.beforeId = last;
    return [...ids, ...(await rest(limit - ids.length, restOpts))];
  };
}

/** Newest first along the primary key with the plain filters (for common matches). */
function fromWalk(manager: EntityManager, match: MatchSql): Newest {
  return async (limit, opts) => {
    const extra: unknown[] = [];
    let and = '';
    if (opts.beforeId !== undefined) {
      extra.push(opts.beforeId);
      and += ` AND m.id < $${match.params.length + extra.length}::bigint`;
    }
    if (opts.atMostId !== undefined) {
      extra.push(opts.atMostId);
      and += ` AND m.id <= $${match.params.length + extra.length}::bigint`;
    }
    return selectIds(manager, match, and, `ORDER BY m.id DESC LIMIT ${limit} OFFSET ${opts.offset ?? 0}`, extra);
  };
}

/**
 * Newest first through the index, one id range at a time from the top (`(hi - range, hi]`, each
 * range sized from the matches the one before held), so only the matches inside a range are read
 * from the table; once a range would pass RANGE_MAX, the last one reaches down to the first id.
 */
function fromRanges(manager: EntityManager, plan: MatchPlan, maxId: bigint, firstRange: number, texts?: Map<string, string>): Newest {
  return async (limit, opts) => {
    const offset = opts.offset ?? 0;
    const need = limit + offset;
    let hi = maxId;
    if (opts.beforeId !== undefined && BigInt(opts.beforeId) - 1n < hi) hi = BigInt(opts.beforeId) - 1n;
    if (opts.atMostId !== undefined && BigInt(opts.atMostId) < hi) hi = BigInt(opts.atMostId);
    const out: string[] = [];
    let range = Math.max(1, firstRange);
    while (out.length < need && hi > 0n) {
      const lo = hi - BigInt(range);
      const rows =
        lo > 0n
          ? await selectIds(
              manager,
              plan.ranged,
              `AND m.id > $${plan.ranged.params.length + 1}::bigint AND m.id <= $${plan.ranged.params.length + 2}::bigint`,
              `ORDER BY m.id DESC LIMIT ${need - out.length}`,
              [lo.toString(), hi.toString()],
              texts,
            )
          : await selectIds(
              manager,
              plan.index,
              `AND m.id <= $${plan.index.params.length + 1}::bigint`,
              `ORDER BY m.id DESC LIMIT ${need - out.length}`,
              [hi.toString()],
              texts,
            );
      out.push(...rows);
      hi = lo;
      // the next range from the density just seen (half again for safety), at least twice as wide
      const missing = need - out.length;
      range = rows.length > 0 ? Math.max(2 * range, Math.ceil((1.5 * missing * range) / rows.length)) : 8 * range;
      // past RANGE_MAX the matches are sparse: the rest in one read, all of them ordered (few)
      if (range > RANGE_MAX) range = Number.MAX_SAFE_INTEGER;
    }
    return out.slice(offset, need);
  };
}

/** Searchable texts of `ids`, reading only those not already `known`. */
async function searchableTexts(manager: EntityManager, ids: string[], known = new Map<string, string>()): Promise<Map<string, string>> {
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length === 0) return known;
  const rows = await manager.query<{ id: string; text: string }[]>(
    `SELECT id::text AS id, searchable_text AS text FROM message WHERE id = ANY($1::bigint[])`,
    [missing],
  );
  for (const r of rows) known.set(r.id, r.text);
  return known;
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
async function relevancePage(
  manager: EntityManager,
  newest: Newest,
  terms: SearchTerm[],
  dto: SearchDto,
  cursor?: SearchCursor,
  known?: Map<string, string>,
): Promise<PageIds> {
  const anchor = cursor?.s === 'relevance' ? cursor.a : undefined;
  if (cursor?.s === 'relevance' && 't' in cursor) return tailPage(newest, dto.limit, anchor as string, cursor.t, []);

  const window = await newest(RELEVANCE_WINDOW, { atMostId: anchor });
  if (window.length === 0) return { ids: [], next: null };
  const texts = await searchableTexts(manager, window, known);
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

/** Messages of the page in page order (deleted ones dropped), each with its sender, planet and highlight ranges, in one query. */
async function hydrate(manager: EntityManager, ids: string[], terms: SearchTerm[]): Promise<SearchHit[]> {
  if (ids.length === 0) return [];
  const rows = await manager.query<(MessageRow & { planet_name: string; planet_travel_id: number })[]>(
    `SELECT ${messageColumns('m')}, pr.nickname AS sender_nickname, p.name AS planet_name, p.travel_id AS planet_travel_id
     FROM message m JOIN planet p ON p.id = m.planet_id LEFT JOIN profile pr ON pr.user_id = m.sender_id
     WHERE m.id = ANY($1::bigint[]) AND m.deleted_at IS NULL`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const hits: SearchHit[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue; // deleted between the two queries
    const message = rowToMessage(row);
    hits.push({
      message,
      sender: senderOf(row),
      planet: { id: row.planet_id, name: row.planet_name, travelId: row.planet_travel_id },
      highlights: highlightRanges(message.content, terms),
    });
  }
  return hits;
}
