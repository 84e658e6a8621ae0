import { DataSource } from 'typeorm';
import { Travel } from '../../src/modules/travel/travel.entity';
import { TravelVisibility } from '../../src/modules/travel/travel.enums';
import { addMember, createTravel } from '../factories/travel.factory';
import { createUser, UserFixture } from '../factories/user.factory';
import { startTestApp, TestApp } from '../helpers/test-app';

const API = '/api/v1';

describe('travels over HTTP', () => {
  let t: TestApp;
  let host: UserFixture;
  let alice: UserFixture;
  let outsider: UserFixture;

  beforeAll(async () => {
    t = await startTestApp({ tag: 'travels' });
    [host, alice, outsider] = [await createUser(t.env), await createUser(t.env), await createUser(t.env)];
  });
  afterAll(async () => {
    await t.close();
  });

  const travelCount = async (): Promise<number> => Travel.count({ withDeleted: true });

  it('documents the travel and planet routes and their response shapes in /docs', async () => {
    const spec = await t.http.get('/docs/json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/travels',
        '/api/v1/travels/popular',
        '/api/v1/travels/{id}/join',
        '/api/v1/travels/{travelId}/planets',
        '/api/v1/planets',
      ]),
    );
    expect(Object.keys(spec.body.components.schemas)).toEqual(
      expect.arrayContaining(['TravelResponseDto', 'TravelMembershipResponseDto', 'MyPlanetResponseDto', 'PlanetResponseDto']),
    );
  });

  describe('POST /travels', () => {
    it('creates a travel with the caller as HOST and participantCount 1', async () => {
      const res = await t.http
        .post(`${API}/travels`)
        .set(host.auth)
        .send({ title: '  부산 2박 3일  ', visibility: 'PRIVATE', startDate: '2025-07-01', endDate: '2025-07-03' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        title: '부산 2박 3일',
        description: null,
        visibility: 'PRIVATE',
        participantCount: 1,
        startDate: '2025-07-01',
        endDate: '2025-07-03',
        createdById: host.user.id,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        myRole: 'HOST',
      });
    });

    it('answers 401 without a token', async () => {
      await t.http.post(`${API}/travels`).send({ title: 'x', visibility: 'PUBLIC' }).expect(401);
    });

    it.each([
      ['a missing title', { visibility: 'PUBLIC' }, 'title'],
      ['a blank title', { title: '   ', visibility: 'PUBLIC' }, 'title'],
      ['a title of the wrong type', { title: 42, visibility: 'PUBLIC' }, 'title'],
      ['an over-long title', { title: '가'.repeat(101), visibility: 'PUBLIC' }, 'title'],
      ['an over-long description', { title: 'x', description: 'a'.repeat(2001), visibility: 'PUBLIC' }, 'description'],
      ['a NUL character', { title: 'a\u0000b', visibility: 'PUBLIC' }, 'title'],
      ['an unknown visibility', { title: 'x', visibility: 'SECRET' }, 'visibility'],
      ['a missing visibility', { title: 'x' }, 'visibility'],
      ['an unknown field', { title: 'x', visibility: 'PUBLIC', participantCount: 99 }, 'participantCount'],
      ['a date that does not exist', { title: 'x', visibility: 'PUBLIC', startDate: '2025-02-30' }, 'startDate'],
      ['a date with a time', { title: 'x', visibility: 'PUBLIC', endDate: '2025-07-01T10:00:00Z' }, 'endDate'],
      ['a date of the wrong type', { title: 'x', visibility: 'PUBLIC', startDate: 20250701 }, 'startDate'],
      ['an endDate before the startDate', { title: 'x', visibility: 'PUBLIC', startDate: '2025-07-10', endDate: '2025-07-01' }, 'endDate'],
    ])('answers 400 naming the field for %s, and creates nothing', async (_what, body, field) => {
      const before = await travelCount();
      const res = await t.http.post(`${API}/travels`).set(alice.auth).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await travelCount()).toBe(before);
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await t.http
        .post(`${API}/travels`)
        .set(alice.auth)
        .set('Content-Type', 'application/json')
        .send('{"title": ')
        .expect(400);
      expect(res.body.statusCode).toBe(400);
    });
  });

  describe('GET /travels/:id', () => {
    it('shows a PUBLIC travel to anyone, with myRole null for non-members', async () => {
      const travel = await createTravel(host);
      const res = await t.http.get(`${API}/travels/${travel.id}`).set(outsider.auth).expect(200);
      expect(res.body).toMatchObject({ id: travel.id, visibility: 'PUBLIC', myRole: null });
    });

    it('answers 404 for a PRIVATE travel to a non-member, exactly as for one that does not exist', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      const hidden = await t.http.get(`${API}/travels/${travel.id}`).set(outsider.auth).expect(404);
      const missing = await t.http.get(`${API}/travels/2147483000`).set(outsider.auth).expect(404);
      expect(hidden.body).toEqual(missing.body);
      await t.http.get(`${API}/travels/${travel.id}`).set(host.auth).expect(200);
    });

    it.each([
      ['abc', 400],
      ['99999999999999999999', 400],
      ['0', 400],
      ['-1', 400],
      ['1.5', 400],
    ])('answers %s with %i naming the id', async (id, status) => {
      const res = await t.http.get(`${API}/travels/${id}`).set(host.auth).expect(status);
      expect(res.body.details).toEqual([{ field: 'id', problem: expect.any(String) }]);
    });
  });

  describe('GET /travels', () => {
    it('pages through my travels with limit and cursor, newest first', async () => {
      const me = await createUser(t.env);
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await createTravel(me)).id);
      const page1 = await t.http.get(`${API}/travels?limit=2`).set(me.auth).expect(200);
      expect(page1.body.data.map((x: { id: number }) => x.id)).toEqual([ids[2], ids[1]]);
      expect(page1.body).toMatchObject({ hasMore: true, nextCursor: String(ids[1]) });
      const page2 = await t.http.get(`${API}/travels?limit=2&cursor=${page1.body.nextCursor}`).set(me.auth).expect(200);
      expect(page2.body).toEqual({ data: [expect.objectContaining({ id: ids[0], myRole: 'HOST' })], hasMore: false, nextCursor: null });
    });

    it.each(['limit=0', 'limit=101', 'limit=abc', 'cursor=abc', 'cursor=99999999999999999999', 'foo=1'])(
      'answers 400 for ?%s',
      async (q) => {
        const res = await t.http.get(`${API}/travels?${q}`).set(alice.auth).expect(400);
        expect(res.body.details?.[0]?.field).toBe(q.split('=')[0]);
      },
    );
  });

  describe('GET /travels/popular', () => {
    it('lists PUBLIC travels by participantCount and never PRIVATE ones', async () => {
      const big = await createTravel(host);
      for (const u of [alice, outsider]) await Travel.join(big.id, u.user.id);
      const secret = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      await addMember(secret, alice);
      await addMember(secret, outsider);
      const res = await t.http.get(`${API}/travels/popular`).set(alice.auth).expect(200);
      const ids = res.body.data.map((x: { id: number }) => x.id);
      expect(ids[0]).toBe(big.id);
      expect(ids).not.toContain(secret.id);
      expect(res.body.data.length).toBeLessThanOrEqual(10);
    });
  });

  describe('PATCH and DELETE /travels/:id', () => {
    it('lets the host edit and clear fields', async () => {
      const travel = await createTravel(host, { description: '설명', startDate: '2025-07-01' });
      const res = await t.http
        .patch(`${API}/travels/${travel.id}`)
        .set(host.auth)
        .send({ title: '새 제목', description: null, endDate: '2025-07-05' })
        .expect(200);
      expect(res.body).toMatchObject({
        title: '새 제목',
        description: null,
        startDate: '2025-07-01',
        endDate: '2025-07-05',
        myRole: 'HOST',
      });
    });

    it('answers 403 to a member who is not host, and 404 to a non-member of a PRIVATE travel', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      await addMember(travel, alice);
      await t.http.patch(`${API}/travels/${travel.id}`).set(alice.auth).send({ title: 'mine now' }).expect(403);
      await t.http.patch(`${API}/travels/${travel.id}`).set(outsider.auth).send({ title: 'mine now' }).expect(404);
      await t.http.delete(`${API}/travels/${travel.id}`).set(alice.auth).expect(403);
      await t.http.delete(`${API}/travels/${travel.id}`).set(outsider.auth).expect(404);
      expect((await Travel.findOneByOrFail({ id: travel.id })).title).toBe(travel.title);
    });

    it('answers 403 to a non-member editing a PUBLIC travel', async () => {
      const travel = await createTravel(host);
      await t.http.patch(`${API}/travels/${travel.id}`).set(outsider.auth).send({ title: 'mine now' }).expect(403);
    });

    it.each([
      ['an endDate before the stored startDate', { endDate: '2025-06-01' }, 'endDate'],
      ['a null title', { title: null }, 'title'],
      ['a null visibility', { visibility: null }, 'visibility'],
      ['an unknown field', { createdById: 1 }, 'createdById'],
    ])('answers 400 for %s and changes nothing', async (_what, body, field) => {
      const travel = await createTravel(host, { startDate: '2025-07-01' });
      const res = await t.http.patch(`${API}/travels/${travel.id}`).set(host.auth).send(body).expect(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      const stored = await Travel.findOneByOrFail({ id: travel.id });
      expect(stored).toMatchObject({ title: travel.title, visibility: travel.visibility, endDate: null });
    });

    it('soft-deletes for the host; the travel is then 404 to everyone', async () => {
      const travel = await createTravel(host);
      await t.http.delete(`${API}/travels/${travel.id}`).set(host.auth).expect(204);
      await t.http.get(`${API}/travels/${travel.id}`).set(host.auth).expect(404);
      expect((await Travel.findOneOrFail({ where: { id: travel.id }, withDeleted: true })).deletedAt).not.toBeNull();
    });
  });

  describe('membership', () => {
    it('joins a PUBLIC travel (200, repeatable) and leaves it (204)', async () => {
      const travel = await createTravel(host);
      const res = await t.http.post(`${API}/travels/${travel.id}/join`).set(alice.auth).expect(200);
      expect(res.body).toEqual({
        travelId: travel.id,
        userId: alice.user.id,
        role: 'MEMBER',
        status: 'ACTIVE',
        joinedAt: expect.any(String),
        participantCount: 2,
      });
      const again = await t.http.post(`${API}/travels/${travel.id}/join`).set(alice.auth).expect(200);
      expect(again.body.participantCount).toBe(2);
      await t.http.post(`${API}/travels/${travel.id}/leave`).set(alice.auth).expect(204);
      expect((await Travel.findOneByOrFail({ id: travel.id })).participantCount).toBe(1);
    });

    it('answers 404 to a join of a PRIVATE travel', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      await t.http.post(`${API}/travels/${travel.id}/join`).set(alice.auth).expect(404);
    });

    it('lets the host add a user to a PRIVATE travel (201), then 409 for a repeat and 404 for an unknown user', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      const res = await t.http.post(`${API}/travels/${travel.id}/members`).set(host.auth).send({ userId: alice.user.id }).expect(201);
      expect(res.body).toMatchObject({ travelId: travel.id, userId: alice.user.id, role: 'MEMBER', participantCount: 2 });
      const dup = await t.http.post(`${API}/travels/${travel.id}/members`).set(host.auth).send({ userId: alice.user.id }).expect(409);
      expect(dup.body.details).toEqual([{ field: 'userId', problem: expect.any(String) }]);
      await t.http.post(`${API}/travels/${travel.id}/members`).set(host.auth).send({ userId: 2147483000 }).expect(404);
      await t.http.get(`${API}/travels/${travel.id}`).set(alice.auth).expect(200);
    });

    it('answers 403 to a member adding members and 404 to an outsider', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      await addMember(travel, alice);
      await t.http.post(`${API}/travels/${travel.id}/members`).set(alice.auth).send({ userId: outsider.user.id }).expect(403);
      await t.http.post(`${API}/travels/${travel.id}/members`).set(outsider.auth).send({ userId: outsider.user.id }).expect(404);
      expect((await Travel.findOneByOrFail({ id: travel.id })).participantCount).toBe(2);
    });

    it.each([
      ['a string userId', { userId: '5' }],
      ['a missing userId', {}],
      ['a fractional userId', { userId: 1.5 }],
      ['an out-of-range userId', { userId: 99999999999999 }],
    ])('answers 400 naming userId for %s', async (_what, body) => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      const res = await t.http.post(`${API}/travels/${travel.id}/members`).set(host.auth).send(body).expect(400);
      expect(res.body.details[0].field).toBe('userId');
    });

    it('refuses (409) the last host leaving while members remain, and allows it after a hand-over', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      await t.http.post(`${API}/travels/${travel.id}/leave`).set(host.auth).expect(409);
      const res = await t.http
        .patch(`${API}/travels/${travel.id}/members/${alice.user.id}`)
        .set(host.auth)
        .send({ role: 'HOST' })
        .expect(200);
      expect(res.body.role).toBe('HOST');
      await t.http.post(`${API}/travels/${travel.id}/leave`).set(host.auth).expect(204);
      const seen = await t.http.get(`${API}/travels/${travel.id}`).set(alice.auth).expect(200);
      expect(seen.body).toMatchObject({ participantCount: 1, myRole: 'HOST' });
    });

    it('keeps participantCount equal to the ACTIVE members after 50 concurrent joins and leaves over HTTP', async () => {
      const travel = await createTravel(host);
      const users = await Promise.all(Array.from({ length: 10 }, () => createUser(t.env)));
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const u = users[(i * 3) % users.length];
          return t.http.post(`${API}/travels/${travel.id}/${i % 4 === 3 ? 'leave' : 'join'}`).set(u.auth);
        }),
      );
      expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 204)).toEqual([]);
      const [{ n }] = await t.app
        .get(DataSource)
        .query<{ n: number }[]>("SELECT count(*)::int AS n FROM travel_user WHERE travel_id = $1 AND status = 'ACTIVE'", [travel.id]);
      expect((await Travel.findOneByOrFail({ id: travel.id })).participantCount).toBe(n);
    });
  });
});
