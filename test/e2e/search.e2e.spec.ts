import { Message } from '../../src/modules/message/message.entity';
import type { Planet } from '../../src/modules/planet/planet.entity';
import type { Travel } from '../../src/modules/travel/travel.entity';
import { MembershipStatus, TravelVisibility } from '../../src/modules/travel/travel.enums';
import { buildWorld, createMessage, createUser, setPlanetState, UserFixture } from '../factories';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('GET /api/v1/messages/search', () => {
  let t: TestApp;
  let me: UserFixture;
  let other: UserFixture;
  let mine: Planet;
  let left: Planet;
  let foreign: Planet;
  let foreignTravel: Travel;

  const search = (query: Record<string, string | number>, user: UserFixture = me) =>
    t.http.get('/api/v1/messages/search').query(query).set(user.auth);

  beforeAll(async () => {
    t = await startTestApp({ tag: 'searche2e' });
    me = await createUser(t.env, { nickname: '민지' });
    other = await createUser(t.env, { nickname: '준호' });
    const ours = await buildWorld({
      host: me,
      members: [other],
      planets: ['전체방', '나간방'],
      travel: { title: '부산 여행', visibility: TravelVisibility.PRIVATE },
    });
    const theirs = await buildWorld({ host: other, planets: ['남의방'], travel: { title: '도쿄', visibility: TravelVisibility.PRIVATE } });
    [mine, left] = ours.planets;
    [foreign, foreignTravel] = [theirs.planet, theirs.travel];
    await createMessage(mine, other, '내일 부산에서 만나요!');
    await createMessage(mine, me, 'KTX타고 Busan 가요');
    await createMessage(left, other, '부산 숙소 정했어요');
    await createMessage(foreign, other, '부산 말고 도쿄');
    await setPlanetState(ours, left, me, MembershipStatus.LEFT);
    const gone = await createMessage(mine, other, '부산 삭제될 메시지');
    await Message.softDeleteById(gone.id);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('finds Korean substrings and English prefixes in my ACTIVE planets only, with planet, sender and highlights', async () => {
    const res = await search({ query: '부산' }).expect(200);
    expect(res.body).toMatchObject({ total: 1, totalCapped: false, hasMore: false, nextCursor: null });
    expect(res.body.data).toEqual([
      expect.objectContaining({
        content: '내일 부산에서 만나요!',
        planetId: mine.id,
        planet: { id: mine.id, name: '전체방', travelId: mine.travelId },
        sender: { id: other.user.id, nickname: '준호' },
        highlights: [{ start: 3, end: 5 }],
        deleted: false,
      }),
    ]);
    const bus = await search({ query: 'bus ktx타고', sort: 'recent' }).expect(200);
    expect(bus.body.data.map((h: { content: string }) => h.content)).toEqual(['KTX타고 Busan 가요']);
  });

  it('requires a token', async () => {
    await t.http.get('/api/v1/messages/search').query({ query: '부산' }).expect(401);
  });

  it('answers 403 for a planet I left, a planet I never joined and a travel that is not mine', async () => {
    await search({ query: '부산', planetId: left.id }).expect(403);
    await search({ query: '부산', planetId: foreign.id }).expect(403);
    await search({ query: '부산', travelId: foreignTravel.id }).expect(403);
    await search({ query: '부산', planetId: mine.id }).expect(200);
  });

  const fieldOf = (body: { details?: { field: string }[] }) => body.details?.map((d) => d.field);

  it.each([
    ['1 character', { query: '부' }, 'query'],
    ['10,000 characters', { query: 'a'.repeat(10000) }, 'query'],
    ['1,500 Hangul characters', { query: '가'.repeat(1500) }, 'query'],
    ['no letters at all', { query: `&|!:*()<>'"\\` }, 'query'],
    ['only emoji', { query: '😆😆' }, 'query'],
    ['only zero-width characters', { query: '\u200b\u200b\u200b' }, 'query'],
    ['more than 10 terms', { query: 'a b c d e f g h i j k' }, 'query'],
    ['a non-numeric planetId', { query: '부산', planetId: 'abc' }, 'planetId'],
    ['an SQL planetId', { query: '부산', planetId: '1 OR 1=1' }, 'planetId'],
    ['a huge travelId', { query: '부산', travelId: '99999999999999999999' }, 'travelId'],
    ['limit over 50', { query: '부산', limit: 51 }, 'limit'],
    ['offset over 200', { query: '부산', offset: 201 }, 'offset'],
    ['an unknown sort', { query: '부산', sort: 'oldest' }, 'sort'],
    ['a forged cursor', { query: '부산', cursor: 'eyJzIjoicmVjZW50IiwiaWQiOiIxOyBEUk9QIn0' }, 'cursor'],
    ['a cursor with SQL in it', { query: '부산', cursor: "1'; DROP TABLE message; --" }, 'cursor'],
    [
      'a cursor of the other sort',
      { query: '부산', sort: 'relevance', cursor: Buffer.from('{"s":"recent","id":"5"}').toString('base64url') },
      'cursor',
    ],
    ['an unknown parameter', { query: '부산', evil: '1' }, 'evil'],
  ])('answers 400 naming the field for %s', async (_name, query, field) => {
    const res = await search(query).expect(400);
    expect(fieldOf(res.body)).toContain(field);
  });

  it.each([
    `부산 & | ! : * ( ) < > ' " \\`,
    '부산:*',
    '\\\\부산\\',
    '부\u200b산',
    '부산😆',
    '부산\u0301\u0308',
    '(부산)<->(에서)',
    '%부산_',
  ])('searches %j literally: 200, never a tsquery or SQL error', async (query) => {
    const res = await search({ query }).expect(200);
    expect(res.body.data.map((h: { content: string }) => h.content)).toEqual(['내일 부산에서 만나요!']);
  });

  it.each(["'; DROP TABLE message; --", "부산' | '여행", '1 OR 1=1', 'message_search_vector(1)'])(
    'treats %j as words to find: 200 and no hit',
    async (query) => {
      const res = await search({ query }).expect(200);
      expect(res.body).toMatchObject({ data: [], total: 0, hasMore: false });
    },
  );

  it('pages with nextCursor in both sorts', async () => {
    const a = await search({ query: '요!', sort: 'recent', limit: 1 }).expect(200);
    expect(a.body).toMatchObject({ total: 2, hasMore: true });
    const b = await search({ query: '요!', sort: 'recent', limit: 1, cursor: a.body.nextCursor }).expect(200);
    expect(b.body).toMatchObject({ total: 2, hasMore: false, nextCursor: null });
    expect([a.body.data[0].content, b.body.data[0].content]).toEqual(['KTX타고 Busan 가요', '내일 부산에서 만나요!']);
    const c = await search({ query: '요!', sort: 'relevance', limit: 1 }).expect(200);
    const d = await search({ query: '요!', sort: 'relevance', limit: 1, cursor: c.body.nextCursor }).expect(200);
    expect(new Set([c.body.data[0].id, d.body.data[0].id]).size).toBe(2);
    await search({ query: '요!', limit: 1, offset: 1, cursor: c.body.nextCursor }).expect(400);
  });
});
