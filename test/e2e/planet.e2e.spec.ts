import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { DomainEventMap, DomainEvents } from '../../src/common/events/domain-events';
import { MessageReadReceipt } from '../../src/modules/message/message-read-receipt.entity';
import { Message } from '../../src/modules/message/message.entity';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { Planet } from '../../src/modules/planet/planet.entity';
import { TravelVisibility } from '../../src/modules/travel/travel.enums';
import { addMember, createMessage, createPlanet, createTravel, createUser, joinPlanet, UserFixture } from '../factories';
import { startTestApp, TestApp } from '../helpers/test-app';

const API = '/api/v1';
type MembershipEvent = DomainEventMap['planet.membership.changed'];

describe('planets over HTTP', () => {
  let t: TestApp;
  let host: UserFixture;
  let alice: UserFixture;
  let outsider: UserFixture;
  let events: MembershipEvent[];

  const say = (planetId: number, sender: UserFixture, content: string) => createMessage({ id: planetId }, sender, content);

  beforeAll(async () => {
    t = await startTestApp({ tag: 'planets' });
    [host, alice, outsider] = [await createUser(t.env), await createUser(t.env), await createUser(t.env)];
    t.app.get(DomainEvents).on('planet.membership.changed', (e) => events.push(e));
  });
  beforeEach(() => {
    events = [];
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /travels/:travelId/planets', () => {
    it('creates a planet whose creator is an ACTIVE ADMIN, and announces the membership', async () => {
      const travel = await createTravel(host);
      const res = await t.http.post(`${API}/travels/${travel.id}/planets`).set(host.auth).send({ name: ' 맛집 탐방 ' }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        travelId: travel.id,
        name: '맛집 탐방',
        createdById: host.user.id,
        createdAt: expect.any(String),
        memberCount: 1,
        isMember: true,
      });
      expect(await PlanetUser.findOneBy({ planetId: res.body.id, userId: host.user.id })).toMatchObject({
        role: 'ADMIN',
        status: 'ACTIVE',
      });
      expect(events).toEqual([{ planetId: res.body.id, userId: host.user.id, active: true }]);
    });

    it('answers 403 to a non-member of a PUBLIC travel and 404 to one of a PRIVATE travel, creating nothing', async () => {
      const open = await createTravel(host);
      const closed = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      await t.http.post(`${API}/travels/${open.id}/planets`).set(outsider.auth).send({ name: 'x' }).expect(403);
      await t.http.post(`${API}/travels/${closed.id}/planets`).set(outsider.auth).send({ name: 'x' }).expect(404);
      expect(await Planet.countBy({ travelId: open.id })).toBe(0);
      expect(await Planet.countBy({ travelId: closed.id })).toBe(0);
    });

    it.each([
      ['a missing name', {}, 'name'],
      ['a blank name', { name: '  ' }, 'name'],
      ['a name of the wrong type', { name: ['a'] }, 'name'],
      ['an over-long name', { name: '행'.repeat(101) }, 'name'],
      ['an unknown field', { name: 'ok', travelId: 1 }, 'travelId'],
    ])('answers 400 naming the field for %s', async (_what, body, field) => {
      const travel = await createTravel(host);
      const res = await t.http.post(`${API}/travels/${travel.id}/planets`).set(host.auth).send(body).expect(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await Planet.countBy({ travelId: travel.id })).toBe(0);
    });

    it('answers 400 naming travelId for a bad path id', async () => {
      const res = await t.http.post(`${API}/travels/abc/planets`).set(host.auth).send({ name: 'x' }).expect(400);
      expect(res.body.details).toEqual([{ field: 'travelId', problem: expect.any(String) }]);
    });
  });

  describe('GET /travels/:travelId/planets', () => {
    it('lists the planets to travel members with memberCount and isMember', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      const a = await createPlanet(travel, host);
      const b = await createPlanet(travel, host);
      await joinPlanet(b, alice);
      const res = await t.http.get(`${API}/travels/${travel.id}/planets`).set(alice.auth).expect(200);
      expect(res.body.data.map((p: { id: number; memberCount: number; isMember: boolean }) => [p.id, p.memberCount, p.isMember])).toEqual([
        [a.id, 1, false],
        [b.id, 2, true],
      ]);
    });

    it('answers 403 to a non-member of a PUBLIC travel and 404 for a PRIVATE one', async () => {
      const open = await createTravel(host);
      const closed = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      await t.http.get(`${API}/travels/${open.id}/planets`).set(outsider.auth).expect(403);
      await t.http.get(`${API}/travels/${closed.id}/planets`).set(outsider.auth).expect(404);
    });
  });

  describe('POST /planets/:id/join and /leave', () => {
    it('joins (200) and leaves (204) for travel members, announcing each change once', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      const planet = await createPlanet(travel, host);
      const res = await t.http.post(`${API}/planets/${planet.id}/join`).set(alice.auth).expect(200);
      expect(res.body).toEqual({
        planetId: planet.id,
        userId: alice.user.id,
        role: 'MEMBER',
        status: 'ACTIVE',
        joinedAt: expect.any(String),
      });
      await t.http.post(`${API}/planets/${planet.id}/join`).set(alice.auth).expect(200);
      await t.http.post(`${API}/planets/${planet.id}/leave`).set(alice.auth).expect(204);
      await t.http.post(`${API}/planets/${planet.id}/leave`).set(alice.auth).expect(204);
      expect(events).toEqual([
        { planetId: planet.id, userId: alice.user.id, active: true },
        { planetId: planet.id, userId: alice.user.id, active: false },
      ]);
    });

    it('answers 403 to a non-member of a PUBLIC travel and 404 for a PRIVATE one, joining nothing', async () => {
      const open = await createPlanet(await createTravel(host), host);
      const closed = await createPlanet(await createTravel(host, { visibility: TravelVisibility.PRIVATE }), host);
      await t.http.post(`${API}/planets/${open.id}/join`).set(outsider.auth).expect(403);
      await t.http.post(`${API}/planets/${closed.id}/join`).set(outsider.auth).expect(404);
      await t.http.post(`${API}/planets/${closed.id}/leave`).set(outsider.auth).expect(404);
      await t.http.post(`${API}/planets/2147483000/join`).set(outsider.auth).expect(404);
      expect(await PlanetUser.countBy({ userId: outsider.user.id })).toBe(0);
      expect(events).toEqual([]);
    });

    it('answers 400 naming id for /planets/99999999999999999999/join', async () => {
      const res = await t.http.post(`${API}/planets/99999999999999999999/join`).set(alice.auth).expect(400);
      expect(res.body.details).toEqual([{ field: 'id', problem: expect.any(String) }]);
    });

    it('ends planet memberships when the user leaves the travel, and announces them', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      const planet = await createPlanet(travel, alice);
      events = [];
      await t.http.post(`${API}/travels/${travel.id}/leave`).set(alice.auth).expect(204);
      expect(events).toEqual([{ planetId: planet.id, userId: alice.user.id, active: false }]);
      await t.http.post(`${API}/planets/${planet.id}/join`).set(alice.auth).expect(403);
    });

    it('announces the end of every planet membership when the host deletes the travel', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      const planet = await createPlanet(travel, host);
      await joinPlanet(planet, alice);
      events = [];
      await t.http.delete(`${API}/travels/${travel.id}`).set(host.auth).expect(204);
      expect(events).toEqual(
        expect.arrayContaining([
          { planetId: planet.id, userId: host.user.id, active: false },
          { planetId: planet.id, userId: alice.user.id, active: false },
        ]),
      );
      await t.http.post(`${API}/planets/${planet.id}/join`).set(alice.auth).expect(404);
    });
  });

  describe('GET /planets', () => {
    it('lists my ACTIVE planets with unreadCount and lastMessage, most recently active first', async () => {
      const me = await createUser(t.env, { nickname: '나' });
      const travel = await createTravel(host);
      await addMember(travel, me);
      const quiet = await createPlanet(travel, host);
      const busy = await createPlanet(travel, host);
      const left = await createPlanet(travel, host);
      for (const p of [quiet, busy, left]) await joinPlanet(p, me);
      await Planet.leave(left.id, me.user.id);
      const other = await createPlanet(await createTravel(host), host); // not mine

      const m1 = await say(busy.id, host, '안녕하세요');
      await say(busy.id, me, '반가워요');
      await MessageReadReceipt.advance([{ planetId: busy.id, userId: me.user.id, messageId: BigInt(m1.id) }]);
      await say(busy.id, host, '부산역에서 만나요');
      const last = await say(busy.id, host, '10시에요');
      await say(other.id, host, 'not for me');

      const res = await t.http.get(`${API}/planets`).set(me.auth).expect(200);
      expect(res.body.data.map((p: { id: number }) => p.id)).toEqual([busy.id, quiet.id]);
      const [b, q] = res.body.data;
      expect(b).toMatchObject({
        id: busy.id,
        travelId: travel.id,
        travelTitle: travel.title,
        name: busy.name,
        role: 'MEMBER',
        unreadCount: 2,
      });
      expect(b.lastMessage).toMatchObject({ id: last.id, planetId: busy.id, content: '10시에요', senderId: host.user.id, deleted: false });
      expect(q).toMatchObject({ unreadCount: 0, lastMessage: null });
    });

    it('shows a deleted last message as a tombstone', async () => {
      const me = await createUser(t.env);
      const travel = await createTravel(me);
      const planet = await createPlanet(travel, me);
      const m = await say(planet.id, me, '비밀');
      await Message.softDeleteById(m.id);
      const res = await t.http.get(`${API}/planets`).set(me.auth).expect(200);
      expect(res.body.data[0].lastMessage).toMatchObject({ id: m.id, deleted: true, content: null });
    });

    it('uses the same number of SQL queries for 1 planet as for 8', async () => {
      const countQueries = async (user: UserFixture): Promise<number> => {
        const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
        try {
          await t.http.get(`${API}/planets`).set(user.auth).expect(200);
          return spy.mock.calls.length;
        } finally {
          spy.mockRestore();
        }
      };
      const few = await createUser(t.env);
      const many = await createUser(t.env);
      const travel = await createTravel(few);
      await addMember(travel, many);
      const first = await createPlanet(travel, few);
      await say(first.id, few, 'hi');
      for (let i = 0; i < 8; i++) {
        const p = await createPlanet(travel, many);
        await say(p.id, many, `msg ${i}`);
      }
      const one = await countQueries(few);
      const eight = await countQueries(many);
      expect(one).toBeGreaterThanOrEqual(2);
      expect(one).toBeLessThanOrEqual(3);
      expect(eight).toBe(one);
    });

    it('answers 401 without a token', async () => {
      await t.http.get(`${API}/planets`).expect(401);
    });
  });
});
