import { QueryRunner } from 'typeorm';
import { AddMessageSearchableTextGinIndex1764500000000 } from '../../migration/1764500000000-AddMessageSearchableTextGinIndex';
import { AppException } from '../../src/common/errors/app.exception';
import { SearchDto } from '../../src/modules/message/dto/search.dto';
import { Message } from '../../src/modules/message/message.entity';
import { MessageType } from '../../src/modules/message/message.enums';
import { SearchResponseDto, toSearchResponse } from '../../src/modules/message/dto/search-response.dto';
import { searchMessages, SearchTuning } from '../../src/modules/message/search/message-search';
import { relevanceScore } from '../../src/modules/message/search/search-rank';
import { lexemesOf, parseQuery } from '../../src/modules/message/search/search-terms';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { Planet } from '../../src/modules/planet/planet.entity';
import { TravelUser } from '../../src/modules/travel/travel-user.entity';
import { Travel } from '../../src/modules/travel/travel.entity';
import { MembershipStatus, TravelVisibility } from '../../src/modules/travel/travel.enums';
import { createUser, UserFixture } from '../factories/user.factory';
import chat from '../fixtures/search/chat-ko.json';
import corpus from '../fixtures/search/corpus-ko.json';
import { OracleRow, oracleSearch } from '../fixtures/search/oracle';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

/** Query classes of the issue; every one is compared with the in-memory oracle (equal sets). */
const QUERIES: Record<string, string[]> = {
  twoSyllable: ['데비', '패키', '부산', '여행', '설치', '배포', '커널', '버전', '시스', '사용', '문서', '숙소'],
  longer: ['데비안', '패키지', '배포판', '부산역', '업그레이드', '감천문화마을', '소스 코드', '자갈치시장', '메일링'],
  particles: ['부산에서', '여행을', '패키지를', '데비안은', '파일을', '시스템에'],
  englishPrefix: ['bus', 'debi', 'linux', 'pack', 'dpkg', 'apt', 'gnu', 'stable', 'BUSAN', 'Deb', 'x1', 'trav', 'café', 'CAFE'],
  mixedScript: ['KTX타고', 'ktx예매', 'lobby에서', 'JR패스', '도쿄タワー', 'iPhone15', 'busan-trip', '東京 여행', 'ｆｕｌｌ'],
  multiTerm: ['데비안 패키지', '부산 여행', 'stable 배포판', 'bus 부산', '설치 커널 버전', '부 산', 'the ferry busan', '여행 일정'],
  noHit: ['뷁뷁', 'zzqxv', '부산 zzqxv', '여행뷁', 'ㅎㅎㅎ없음'],
  oddInput: [
    '"부산"',
    "busan'",
    '&|!부산',
    '(여행)',
    '부\u200b산',
    '😆여행',
    'e\u0301',
    '부산:*',
    "'; DROP TABLE message; --",
    '\\\\ 메시지',
    'ㅋㅋ',
  ],
};

let db: SuiteDb;
let me: UserFixture;
let other: UserFixture;
const rows: OracleRow[] = [];
const visible: number[] = [];
let travelA: Travel;
let travelB: Travel;
let planets: Planet[] = [];

async function world(): Promise<void> {
  me = await createUser(db.env, { nickname: '검색하는사람' });
  other = await createUser(db.env, { nickname: '다른사람' });
  const travel = (title: string) => Travel.create({ title, visibility: TravelVisibility.PRIVATE, createdById: other.user.id }).save();
  travelA = await travel('부산 여행');
  travelB = await travel('도쿄 여행');
  await TravelUser.save([
    TravelUser.create({ travelId: travelA.id, userId: me.user.id }),
    TravelUser.create({ travelId: travelB.id, userId: other.user.id }),
  ]);
  const planet = (travelId: number, name: string) => Planet.create({ travelId, name, createdById: other.user.id }).save();
  // mine-1, mine-2: ACTIVE; left: LEFT; banned: BANNED; gone: ACTIVE but the planet is deleted; other: another travel, not mine.
  planets = [
    await planet(travelA.id, 'mine-1'),
    await planet(travelA.id, 'mine-2'),
    await planet(travelA.id, 'left'),
    await planet(travelA.id, 'banned'),
    await planet(travelA.id, 'gone'),
    await planet(travelB.id, 'other'),
  ];
  const status = [
    MembershipStatus.ACTIVE,
    MembershipStatus.ACTIVE,
    MembershipStatus.LEFT,
    MembershipStatus.BANNED,
    MembershipStatus.ACTIVE,
  ];
  await PlanetUser.save(status.map((s, i) => PlanetUser.create({ planetId: planets[i].id, userId: me.user.id, status: s })));
  await PlanetUser.save(planets.map((p) => PlanetUser.create({ planetId: p.id, userId: other.user.id })));
  await Planet.softRemove(planets[4]);
  visible.push(planets[0].id, planets[1].id);

  const texts: string[] = [...chat.messages, ...corpus.messages];
  const batch: Message[] = texts.map((content, i) =>
    Message.create({
      // chat messages mostly in my planets (every 5th elsewhere), the FAQ spread over all six
      planetId: (i < chat.messages.length ? (i % 5 === 3 ? planets[2 + (i % 4)] : planets[i % 2]) : planets[i % planets.length]).id,
      senderId: i % 3 === 0 ? other.user.id : me.user.id,
      type: i % 40 === 7 ? MessageType.FILE : MessageType.TEXT,
      content,
      attachments: i % 40 === 7 ? [{ mediaId: i, kind: 'file', fileName: `Busan_여행일정_${i}.PDF`, mimeType: 'application/pdf' }] : [],
    }),
  );
  for (let i = 0; i < batch.length; i += 200) await Message.save(batch.slice(i, i + 200));
  const deleted = batch.filter((_m, i) => i % 13 === 5);
  await Message.softRemove(deleted);
  const deletedIds = new Set(deleted.map((m) => m.id));
  for (const m of batch) rows.push({ id: m.id, planetId: m.planetId, searchableText: m.searchableText, deleted: deletedIds.has(m.id) });
}

const dto = (query: string, extra: Partial<SearchDto> = {}): SearchDto => Object.assign(new SearchDto(), { query, ...extra });
/** Message.search as the API answers it (records mapped by toSearchResponse, as MessageService does). */
const searchAs = async (user: { id: number; email: string }, d: SearchDto): Promise<SearchResponseDto> =>
  toSearchResponse(await Message.search(user, d));

/** Every id of a search, following nextCursor to the end. */
async function allIds(
  user: UserFixture,
  query: string,
  sort: 'recent' | 'relevance',
  extra: Partial<SearchDto> = {},
  tuning: SearchTuning = {},
): Promise<{ ids: string[]; first: SearchResponseDto }> {
  const ids: string[] = [];
  let first: SearchResponseDto | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = toSearchResponse(
      await searchMessages(
        Message.managerOf(),
        { id: user.user.id, email: user.user.email },
        dto(query, { limit: 50, sort, cursor, ...extra }),
        tuning,
      ),
    );
    first ??= res;
    ids.push(...res.data.map((h) => h.id));
    if (!res.hasMore) break;
    cursor = res.nextCursor ?? undefined;
  }
  return { ids, first: first! };
}

beforeAll(async () => {
  db = await openSuiteDb('search');
  await world();
}, 120000);

afterAll(async () => {
  await db?.close();
});

describe('Message.search against the in-memory oracle (real Korean corpus)', () => {
  it('indexes the same lexemes the TypeScript mirror computes, for every corpus message', async () => {
    const stored: { id: string; v: string }[] = await Message.query(`SELECT id::text AS id, search_vector::text AS v FROM message`);
    const byId = new Map(rows.map((r) => [r.id, r.searchableText]));
    const mismatches = stored.filter((s) => {
      const db = new Set([...s.v.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'")));
      const js = lexemesOf(byId.get(s.id) ?? '');
      return db.size !== js.size || [...js].some((l) => !db.has(l));
    });
    expect(stored).toHaveLength(rows.length);
    expect(mismatches).toEqual([]);
  });

  for (const [kind, queries] of Object.entries(QUERIES)) {
    describe(kind, () => {
      it.each(queries)('finds exactly the oracle set for %s (recent and relevance, every strategy)', async (query) => {
        const expected = oracleSearch(rows, visible, query);
        // Every strategy over the same data; a small setLimit takes the paths of large match sets
        // (the ordered head, then id ranges through the index; after an index or scan count, the
        // newest from id ranges or a walk over the newest rows, then walks or ranges), a small
        // headWindow makes the ranges grow and the walk window fall short.
        const tunings: SearchTuning[] = [
          {},
          { strategy: 'ordered', setLimit: 7, headWindow: 30 },
          { strategy: 'index', setLimit: 0 },
          { strategy: 'index', setLimit: 0, headWindow: 40 },
          { strategy: 'scan', setLimit: 0 },
          { strategy: 'scan', setLimit: 0, headWindow: 40 },
          { strategy: 'scan' },
        ];
        for (const [sort, tuning] of tunings.flatMap((t) => (['recent', 'relevance'] as const).map((s) => [s, t] as const))) {
          const { ids, first } = await allIds(me, query, sort, {}, tuning);
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(ids)).toEqual(expected);
          expect(first.total).toBe(Math.min(expected.size, 1000));
          expect(first.totalCapped).toBe(expected.size > 1000);
          if (sort === 'recent') expect(ids).toEqual([...ids].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)));
        }
      });
    });
  }

  it('has dozens of queries with hits in every hit class', () => {
    for (const kind of ['twoSyllable', 'longer', 'particles', 'englishPrefix', 'mixedScript', 'multiTerm']) {
      expect(QUERIES[kind].filter((q) => oracleSearch(rows, visible, q).size > 0).length).toBeGreaterThanOrEqual(
        Math.ceil(QUERIES[kind].length / 2),
      );
    }
    expect(Object.values(QUERIES).flat().length).toBeGreaterThanOrEqual(60);
  });

  it('returns each hit with its planet, sender nickname and highlight ranges in the content', async () => {
    const res = await searchAs({ id: me.user.id, email: me.user.email }, dto('부산 여행', { sort: 'recent', limit: 50 }));
    expect(res.data.length).toBeGreaterThan(0);
    for (const hit of res.data) {
      expect(visible).toContain(hit.planet.id);
      expect(hit.planet).toEqual({ id: hit.planetId, name: expect.any(String), travelId: travelA.id });
      expect(['검색하는사람', '다른사람']).toContain(hit.sender?.nickname);
      expect(hit.deleted).toBe(false);
      for (const r of hit.highlights) {
        const marked = hit.content!.slice(r.start, r.end).toLowerCase();
        expect(['부산', '여행']).toContain(marked);
      }
    }
    const review = res.data.find((h) => h.content === '부산 여행 후기 블로그에 썼어요');
    expect(review?.highlights).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
    ]);
  });

  it('orders relevance by score, ties newest first, over the newest matches', async () => {
    const res = await searchAs({ id: me.user.id, email: me.user.email }, dto('데비 설치', { limit: 50 }));
    const terms = parseQuery('데비 설치');
    const keys = res.data.map((h) => ({ score: relevanceScore(rows.find((r) => r.id === h.id)!.searchableText, terms), id: BigInt(h.id) }));
    expect(keys.length).toBeGreaterThan(10);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1], keys[i]];
      expect(a.score > b.score || (a.score === b.score && a.id > b.id)).toBe(true);
    }
  });

  it('pages with a bounded offset as well as with cursors', async () => {
    const all = (await allIds(me, '데비', 'recent')).ids;
    const page2 = await searchAs({ id: me.user.id, email: me.user.email }, dto('데비', { sort: 'recent', limit: 10, offset: 10 }));
    expect(page2.data.map((h) => h.id)).toEqual(all.slice(10, 20));
  });
});

describe('Message.search permissions', () => {
  const as = (u: UserFixture, query: string, extra: Partial<SearchDto> = {}) =>
    searchAs({ id: u.user.id, email: u.user.email }, dto(query, extra));

  it('never returns messages of LEFT, BANNED or deleted planets, other travels, or deleted messages', async () => {
    const { ids } = await allIds(me, '데비', 'recent');
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(visible).toContain(byId.get(id)!.planetId);
      expect(byId.get(id)!.deleted).toBe(false);
    }
  });

  it('returns 403 for a planet where the user is LEFT, BANNED, not a member, or that is deleted', async () => {
    for (const p of [planets[2], planets[3], planets[4], planets[5]]) {
      await expect(as(me, '데비', { planetId: p.id })).rejects.toMatchObject({ status: 403 });
    }
    await expect(as(me, '데비', { planetId: 2147483647 })).rejects.toBeInstanceOf(AppException);
  });

  it('returns 403 for a travel where the user has no ACTIVE planet, and narrows to a travel or planet otherwise', async () => {
    await expect(as(me, '데비', { travelId: travelB.id })).rejects.toMatchObject({ status: 403 });
    const inPlanet = await allIds(me, '데비', 'recent', { planetId: planets[1].id });
    expect(new Set(inPlanet.ids)).toEqual(oracleSearch(rows, [planets[1].id], '데비'));
    const inTravel = await allIds(me, '데비', 'recent', { travelId: travelA.id });
    expect(new Set(inTravel.ids)).toEqual(oracleSearch(rows, visible, '데비'));
  });

  it('gives a user without planets an empty answer', async () => {
    const stranger = await createUser(db.env);
    await expect(as(stranger, '데비')).resolves.toMatchObject({ data: [], total: 0, hasMore: false });
  });
});

describe('search vector maintenance', () => {
  it('follows edits through save() and raw inserts and updates (trigger)', async () => {
    const m = await Message.create({ planetId: planets[0].id, senderId: me.user.id, content: '처음 내용', attachments: [] }).save();
    const find = (q: string) => searchAs({ id: me.user.id, email: me.user.email }, dto(q, { sort: 'recent', planetId: planets[0].id }));
    expect((await find('처음')).data.map((h) => h.id)).toContain(m.id);
    m.content = '수정한 내용 Gyeongju';
    await m.save();
    expect((await find('처음')).data.map((h) => h.id)).not.toContain(m.id);
    expect((await find('gyeong')).data.map((h) => h.id)).toContain(m.id);
    await Message.query(`UPDATE message SET searchable_text = '원시 업데이트' WHERE id = $1`, [m.id]);
    expect((await find('원시')).data.map((h) => h.id)).toContain(m.id);
    await Message.query(`DELETE FROM message WHERE id = $1`, [m.id]);
  });

  it('migration down() removes everything and up() backfills searchable_text and vectors of existing rows', async () => {
    const migration = new AddMessageSearchableTextGinIndex1764500000000();
    const qr: QueryRunner = db.dataSource.createQueryRunner();
    try {
      await migration.down(qr);
      expect(await qr.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'IDX_message_search'`)).toHaveLength(0);
      expect(
        await qr.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'message' AND column_name = 'search_vector'`),
      ).toHaveLength(0);
      // a row written by an older app version, without searchable_text
      await qr.query(`INSERT INTO message (planet_id, sender_id, content, attachments) VALUES ($1, $2, $3, $4)`, [
        planets[0].id,
        me.user.id,
        '옛날 메시지 ＢＵＳＡＮ',
        JSON.stringify([{ mediaId: 1, kind: 'file', fileName: '예전파일.txt', mimeType: 'text/plain' }]),
      ]);
      await migration.up(qr);
      const [old] = await qr.query(`SELECT searchable_text FROM message WHERE content = '옛날 메시지 ＢＵＳＡＮ'`);
      expect(old.searchable_text).toBe('옛날 메시지 busan 예전파일.txt');
      expect(await qr.query(`SELECT 1 FROM message WHERE search_vector IS NULL`)).toHaveLength(0);
      const [idx] = await qr.query(
        `SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'IDX_message_search'`,
      );
      expect(idx.indisvalid).toBe(true);
      expect((await searchAs({ id: me.user.id, email: me.user.email }, dto('예전파', { sort: 'recent' }))).total).toBe(1);
    } finally {
      await qr.release();
    }
  });
});
