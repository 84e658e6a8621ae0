import { Message } from '../../src/modules/message/message.entity';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { Planet } from '../../src/modules/planet/planet.entity';
import { PlanetRole } from '../../src/modules/planet/planet.enums';
import { Travel } from '../../src/modules/travel/travel.entity';
import { MembershipStatus, TravelVisibility } from '../../src/modules/travel/travel.enums';
import { createMessage } from '../factories/message.factory';
import { createPlanet, joinPlanet } from '../factories/planet.factory';
import { addMember, createTravel } from '../factories/travel.factory';
import { createUser, UserFixture } from '../factories/user.factory';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

describe('Planet statics (real PostgreSQL)', () => {
  let db: SuiteDb;
  let host: UserFixture;
  let alice: UserFixture;
  let outsider: UserFixture;

  beforeAll(async () => {
    db = await openSuiteDb('planetstatics');
    [host, alice, outsider] = [await createUser(db.env), await createUser(db.env), await createUser(db.env)];
  });
  afterAll(async () => {
    await db.close();
  });

  describe('createWithCreator', () => {
    it('creates the planet with its creator as ACTIVE ADMIN', async () => {
      const travel = await createTravel(host);
      const outcome = await Planet.createWithCreator(travel.id, host.user.id, '맛집 탐방');
      if (outcome.kind !== 'created') throw new Error(outcome.kind);
      const { planet, membership } = outcome;
      expect(planet).toMatchObject({ travelId: travel.id, name: '맛집 탐방', createdById: host.user.id });
      expect(membership).toMatchObject({ role: PlanetRole.ADMIN, status: MembershipStatus.ACTIVE });
    });

    it('refuses a user who is not an ACTIVE member of the travel (hidden when PRIVATE), and writes nothing', async () => {
      const travel = await createTravel(host);
      expect(await Planet.createWithCreator(travel.id, outsider.user.id, 'x')).toEqual({ kind: 'not-travel-member' });
      const hidden = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      expect(await Planet.createWithCreator(hidden.id, outsider.user.id, 'x')).toEqual({ kind: 'not-found' });
      expect(await Planet.countBy({ travelId: travel.id })).toBe(0);
      expect(await Planet.countBy({ travelId: hidden.id })).toBe(0);
    });
  });

  describe('join and leave', () => {
    it('joins as MEMBER, repeats harmlessly, leaves, and rejoins on the same row', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      const planet = await createPlanet(travel, host);

      const first = await Planet.join(planet.id, alice.user.id);
      if (first.kind !== 'joined') throw new Error(first.kind);
      expect(first).toMatchObject({ changed: true, membership: { role: PlanetRole.MEMBER, status: MembershipStatus.ACTIVE } });
      expect(await Planet.join(planet.id, alice.user.id)).toMatchObject({ kind: 'joined', changed: false });
      expect(await Planet.leave(planet.id, alice.user.id)).toBe(true);
      expect(await Planet.leave(planet.id, alice.user.id)).toBe(false);
      const again = await Planet.join(planet.id, alice.user.id);
      expect(again).toMatchObject({ kind: 'joined', membership: { id: first.membership.id } });
      expect(await PlanetUser.countBy({ planetId: planet.id, userId: alice.user.id })).toBe(1);
      expect(await PlanetUser.isActiveMember(planet.id, alice.user.id)).toBe(true);
    });

    it('starts a joining member with nothing unread, and counts what comes after', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      const planet = await createPlanet(travel, host);
      for (const content of ['첫 메시지', '두 번째', '세 번째']) await createMessage(planet, host, content);
      await Planet.join(planet.id, alice.user.id);
      const [joined] = await Message.findPlanetSummaries(alice.user.id, [planet.id]);
      expect(joined.unreadCount).toBe(0);
      expect(joined.lastMessage?.message.content).toBe('세 번째');

      await createMessage(planet, host, '새 소식');
      const [after] = await Message.findPlanetSummaries(alice.user.id, [planet.id]);
      expect(after.unreadCount).toBe(1);
      const page = await Message.findWithCounts(planet.id, { limit: 10 });
      const newest = page.data[0];
      expect(newest.message.content).toBe('새 소식');
      expect(newest.unreadCount).toBe(1);
      expect(page.data.slice(1).every((m) => m.unreadCount === 0)).toBe(true);
    });

    it('does not count a membership of a deleted planet as active', async () => {
      const travel = await createTravel(host);
      const planet = await createPlanet(travel, host);
      expect(await PlanetUser.isActiveMember(planet.id, host.user.id)).toBe(true);
      await Planet.update({ id: planet.id }, { deletedAt: new Date() });
      expect(await PlanetUser.isActiveMember(planet.id, host.user.id)).toBe(false);
    });

    it('refuses a join by someone outside the travel, and writes nothing', async () => {
      const travel = await createTravel(host);
      const planet = await createPlanet(travel, host);
      expect(await Planet.join(planet.id, outsider.user.id)).toEqual({ kind: 'not-travel-member' });
      expect(await PlanetUser.countBy({ planetId: planet.id, userId: outsider.user.id })).toBe(0);
    });

    it('never leaves an ACTIVE planet membership behind when leaving the travel races planet joins', async () => {
      const travel = await createTravel(host);
      const planets = await Promise.all(Array.from({ length: 5 }, () => createPlanet(travel, host)));
      for (let round = 0; round < 3; round++) {
        await Travel.join(travel.id, alice.user.id);
        await Promise.allSettled([...planets.map((p) => Planet.join(p.id, alice.user.id)), Travel.leave(travel.id, alice.user.id)]);
        const [{ n }] = await db.dataSource.query<{ n: number }[]>(
          "SELECT count(*)::int AS n FROM planet_user pu JOIN planet p ON p.id = pu.planet_id WHERE p.travel_id = $1 AND pu.user_id = $2 AND pu.status = 'ACTIVE'",
          [travel.id, alice.user.id],
        );
        expect(n).toBe(0);
      }
    });
  });

  describe('findAccess', () => {
    it('tells travel members from outsiders and finds the planet membership', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      const planet = await createPlanet(travel, host);
      expect(await Planet.findAccess(planet.id, host.user.id)).toMatchObject({
        isTravelMember: true,
        membership: { role: PlanetRole.ADMIN },
      });
      expect(await Planet.findAccess(planet.id, outsider.user.id)).toMatchObject({
        isTravelMember: false,
        membership: null,
        travelVisibility: TravelVisibility.PRIVATE,
      });
    });

    it('finds nothing once the travel is deleted', async () => {
      const travel = await createTravel(host);
      const planet = await createPlanet(travel, host);
      await Travel.softDeleteWithPlanets(travel.id);
      expect(await Planet.findAccess(planet.id, host.user.id)).toBeNull();
    });
  });

  describe('findForTravel', () => {
    it("lists the travel's planets oldest first with memberCount and isMember", async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice);
      const a = await createPlanet(travel, host);
      const b = await createPlanet(travel, alice);
      await joinPlanet(a, alice);
      const list = await Planet.findForTravel(travel.id, host.user.id);
      expect(list.map((p) => [p.planet.id, p.memberCount, p.isMember])).toEqual([
        [a.id, 2, true],
        [b.id, 1, false],
      ]);
    });
  });

  describe('findMine', () => {
    it('lists only planets where I am ACTIVE, in travels and planets not deleted', async () => {
      const me = await createUser(db.env);
      const t1 = await createTravel(me);
      const kept = await createPlanet(t1, me);
      const left = await createPlanet(t1, me);
      await Planet.leave(left.id, me.user.id);
      await createPlanet(t1, host).catch(() => undefined); // host is not in t1: refused, nothing created
      const t2 = await createTravel(me);
      await createPlanet(t2, me);
      await Travel.softDeleteWithPlanets(t2.id);

      const mine = await Planet.findMine(me.user.id);
      expect(mine.map((p) => p.planet.id)).toEqual([kept.id]);
      expect(mine[0]).toMatchObject({ role: PlanetRole.ADMIN, travelTitle: t1.title });
    });
  });
});
