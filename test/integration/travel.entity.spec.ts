import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { Planet } from '../../src/modules/planet/planet.entity';
import { TravelUser } from '../../src/modules/travel/travel-user.entity';
import { Travel, TravelMembershipChange, TravelMembershipOutcome } from '../../src/modules/travel/travel.entity';
import { MembershipStatus, TravelRole, TravelVisibility } from '../../src/modules/travel/travel.enums';
import { createPlanet, joinPlanet } from '../factories/planet.factory';
import { addMember, createTravel } from '../factories/travel.factory';
import { createUser, UserFixture } from '../factories/user.factory';
import { appError } from '../helpers/errors';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

describe('Travel statics (real PostgreSQL)', () => {
  let db: SuiteDb;
  let host: UserFixture;
  let alice: UserFixture;
  let bob: UserFixture;

  const activeCount = async (travelId: number): Promise<number> => {
    const [{ n }] = await db.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM travel_user WHERE travel_id = $1 AND status = 'ACTIVE'",
      [travelId],
    );
    return n;
  };
  const member = (outcome: TravelMembershipOutcome): TravelMembershipChange => {
    if (outcome.kind !== 'member') throw new Error(`expected a membership, got ${outcome.kind}`);
    return outcome;
  };
  const stored = (id: number): Promise<Travel> => Travel.findOneOrFail({ where: { id }, withDeleted: true });

  beforeAll(async () => {
    db = await openSuiteDb('travelstatics');
    [host, alice, bob] = [await createUser(db.env), await createUser(db.env), await createUser(db.env)];
  });
  afterAll(async () => {
    await db.close();
  });

  describe('createWithHost', () => {
    it('creates the travel with the creator as its ACTIVE HOST and participantCount 1', async () => {
      const { travel, membership } = await Travel.createWithHost(host.user.id, {
        title: '제주 한 달 살기',
        visibility: TravelVisibility.PRIVATE,
        startDate: '2025-07-01',
        endDate: '2025-07-31',
      });
      expect(travel.participantCount).toBe(1);
      expect(membership).toMatchObject({
        travelId: travel.id,
        userId: host.user.id,
        role: TravelRole.HOST,
        status: MembershipStatus.ACTIVE,
      });
      expect((await stored(travel.id)).startDate).toBe('2025-07-01');
      expect(await activeCount(travel.id)).toBe(1);
    });

    it('refuses an endDate before the startDate naming endDate, and writes nothing', async () => {
      const before = await Travel.count({ withDeleted: true });
      const err = await appError(
        Travel.createWithHost(host.user.id, {
          title: 'x',
          visibility: TravelVisibility.PUBLIC,
          startDate: '2025-07-10',
          endDate: '2025-07-01',
        }),
      );
      expect(err.status).toBe(400);
      expect(err.details).toEqual([{ field: 'endDate', problem: expect.any(String) }]);
      expect(await Travel.count({ withDeleted: true })).toBe(before);
    });
  });

  describe('findAccessible', () => {
    it('shows a PUBLIC travel to anyone, with a null membership for non-members', async () => {
      const travel = await createTravel(host);
      const access = await Travel.findAccessible(travel.id, alice.user.id);
      expect(access?.travel.id).toBe(travel.id);
      expect(access?.membership).toBeNull();
    });

    it('hides a PRIVATE travel from non-members and shows it to members', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      expect(await Travel.findAccessible(travel.id, alice.user.id)).toBeNull();
      expect((await Travel.findAccessible(travel.id, host.user.id))?.membership?.role).toBe(TravelRole.HOST);
    });

    it('hides a deleted travel from everyone, members included', async () => {
      const travel = await createTravel(host);
      await Travel.softDeleteWithPlanets(travel.id);
      expect(await Travel.findAccessible(travel.id, host.user.id)).toBeNull();
    });
  });

  describe('join', () => {
    it('adds a MEMBER to a PUBLIC travel and counts them', async () => {
      const travel = await createTravel(host);
      const change = await Travel.join(travel.id, alice.user.id);
      expect(change).toMatchObject({
        kind: 'member',
        changed: true,
        participantCount: 2,
        membership: { role: TravelRole.MEMBER, status: MembershipStatus.ACTIVE },
      });
      expect((await stored(travel.id)).participantCount).toBe(2);
    });

    it('does nothing when an ACTIVE member joins again', async () => {
      const travel = await createTravel(host);
      await Travel.join(travel.id, alice.user.id);
      const again = await Travel.join(travel.id, alice.user.id);
      expect(again).toMatchObject({ kind: 'member', changed: false });
      expect((await stored(travel.id)).participantCount).toBe(2);
    });

    it('reactivates the same membership row when someone who left joins again', async () => {
      const travel = await createTravel(host);
      const first = member(await Travel.join(travel.id, alice.user.id));
      await Travel.leave(travel.id, alice.user.id);
      const again = member(await Travel.join(travel.id, alice.user.id));
      expect(again.membership.id).toBe(first.membership.id);
      expect(again.membership.status).toBe(MembershipStatus.ACTIVE);
      expect(await TravelUser.countBy({ travelId: travel.id, userId: alice.user.id })).toBe(1);
      expect((await stored(travel.id)).participantCount).toBe(2);
    });

    it('refuses a PRIVATE travel as not-found and changes nothing', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      expect(await Travel.join(travel.id, alice.user.id)).toEqual({ kind: 'not-found' });
      expect((await stored(travel.id)).participantCount).toBe(1);
    });

    it('refuses a deleted travel as not-found', async () => {
      const travel = await createTravel(host);
      await Travel.softDeleteWithPlanets(travel.id);
      expect(await Travel.join(travel.id, alice.user.id)).toEqual({ kind: 'not-found' });
      expect(await Travel.softDeleteWithPlanets(travel.id)).toBeNull();
    });

    it('refuses a BANNED user', async () => {
      const travel = await createTravel(host);
      await Travel.join(travel.id, alice.user.id);
      await TravelUser.update({ travelId: travel.id, userId: alice.user.id }, { status: MembershipStatus.BANNED });
      expect(await Travel.join(travel.id, alice.user.id)).toEqual({ kind: 'banned' });
    });
  });

  describe('addMember', () => {
    it('adds a user to a PRIVATE travel', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      const change = await Travel.addMember(travel.id, alice.user.id);
      expect(change).toMatchObject({ kind: 'member', participantCount: 2 });
      expect((await Travel.findAccessible(travel.id, alice.user.id))?.membership?.role).toBe(TravelRole.MEMBER);
    });

    it('refuses an unknown user and an ACTIVE member', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      expect(await Travel.addMember(travel.id, 2147483000)).toEqual({ kind: 'unknown-user' });
      expect(await Travel.addMember(travel.id, host.user.id)).toEqual({ kind: 'already-member' });
      expect((await stored(travel.id)).participantCount).toBe(1);
    });
  });

  describe('leave', () => {
    it('ends the membership, lowers the count and ends the planet memberships in that travel only', async () => {
      const travel = await createTravel(host);
      const other = await createTravel(host);
      await Travel.join(travel.id, alice.user.id);
      await Travel.join(other.id, alice.user.id);
      const p1 = await createPlanet(travel, alice);
      const p2 = await createPlanet(travel, host);
      await joinPlanet(p2, alice);
      const elsewhere = await createPlanet(other, alice);

      const result = await Travel.leave(travel.id, alice.user.id);
      expect(result).toEqual({ kind: 'left', left: true, endedPlanetIds: expect.arrayContaining([p1.id, p2.id]), travelDeleted: false });
      expect(result.kind === 'left' && result.endedPlanetIds).toHaveLength(2);
      expect((await stored(travel.id)).participantCount).toBe(1);
      expect(await PlanetUser.isActiveMember(p1.id, alice.user.id)).toBe(false);
      expect(await PlanetUser.isActiveMember(p2.id, alice.user.id)).toBe(false);
      expect(await PlanetUser.isActiveMember(elsewhere.id, alice.user.id)).toBe(true);
    });

    it('is a no-op for a PUBLIC travel the user is not in', async () => {
      const travel = await createTravel(host);
      expect(await Travel.leave(travel.id, alice.user.id)).toEqual({ kind: 'left', left: false, endedPlanetIds: [], travelDeleted: false });
      expect((await stored(travel.id)).participantCount).toBe(1);
    });

    it('refuses a PRIVATE travel the user is not in as not-found', async () => {
      const travel = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      expect(await Travel.leave(travel.id, alice.user.id)).toEqual({ kind: 'not-found' });
    });

    it('refuses the last host leaving while other members remain, and changes nothing', async () => {
      const travel = await createTravel(host);
      await Travel.join(travel.id, alice.user.id);
      expect(await Travel.leave(travel.id, host.user.id)).toEqual({ kind: 'last-host-leaving' });
      expect((await stored(travel.id)).participantCount).toBe(2);
      expect(await activeCount(travel.id)).toBe(2);
    });

    it('lets a host leave once another member is host', async () => {
      const travel = await createTravel(host);
      await addMember(travel, alice, TravelRole.HOST);
      expect(await Travel.leave(travel.id, host.user.id)).toMatchObject({ kind: 'left', left: true });
      expect((await stored(travel.id)).participantCount).toBe(1);
    });

    it('deletes the travel and its planets when the last member leaves', async () => {
      const travel = await createTravel(host);
      const planet = await createPlanet(travel, host);
      const result = await Travel.leave(travel.id, host.user.id);
      expect(result).toEqual({ kind: 'left', left: true, endedPlanetIds: [planet.id], travelDeleted: true });
      const gone = await stored(travel.id);
      expect(gone.deletedAt).not.toBeNull();
      expect(gone.participantCount).toBe(0);
      expect(await Planet.findOneBy({ id: planet.id })).toBeNull();
    });
  });

  describe('setMemberRole', () => {
    it('refuses demoting the last host', async () => {
      const travel = await createTravel(host);
      expect(await Travel.setMemberRole(travel.id, host.user.id, TravelRole.MEMBER)).toEqual({ kind: 'last-host-demoted' });
    });

    it('refuses a user who is not an ACTIVE member', async () => {
      const travel = await createTravel(host);
      expect(await Travel.setMemberRole(travel.id, bob.user.id, TravelRole.HOST)).toEqual({ kind: 'not-member' });
    });
  });

  describe('updateDetails', () => {
    it('changes only the given fields and never participantCount', async () => {
      const travel = await createTravel(host, { description: '원래 설명' });
      await Travel.join(travel.id, alice.user.id);
      const updated = await Travel.updateDetails(travel.id, { title: '새 제목' });
      expect(updated).toMatchObject({ title: '새 제목', description: '원래 설명', participantCount: 2 });
    });

    it('checks a new endDate against the stored startDate', async () => {
      const travel = await createTravel(host, { startDate: '2025-08-10' });
      const err = await appError(Travel.updateDetails(travel.id, { endDate: '2025-08-01' }));
      expect(err.details?.[0].field).toBe('endDate');
      expect((await stored(travel.id)).endDate).toBeNull();
    });
  });

  describe('softDeleteWithPlanets', () => {
    it('deletes the travel and its planets and ends every ACTIVE planet membership in it', async () => {
      const travel = await createTravel(host);
      await Travel.join(travel.id, alice.user.id);
      const planet = await createPlanet(travel, host);
      await joinPlanet(planet, alice);
      const ended = await Travel.softDeleteWithPlanets(travel.id);
      expect(ended).toEqual(
        expect.arrayContaining([
          { planetId: planet.id, userId: host.user.id },
          { planetId: planet.id, userId: alice.user.id },
        ]),
      );
      expect(await Planet.findOneBy({ id: planet.id })).toBeNull();
      expect((await stored(travel.id)).deletedAt).not.toBeNull();
    });
  });

  describe('findMine', () => {
    it('pages through my ACTIVE travels newest first without gaps or repeats', async () => {
      const me = await createUser(db.env);
      const mine: number[] = [];
      for (let i = 0; i < 5; i++) mine.push((await createTravel(me)).id);
      const joined = await createTravel(host);
      await Travel.join(joined.id, me.user.id);
      mine.push(joined.id);
      const left = await createTravel(host);
      await Travel.join(left.id, me.user.id);
      await Travel.leave(left.id, me.user.id);
      await createTravel(host); // not mine

      const seen: number[] = [];
      let cursor: number | undefined;
      do {
        const page = await Travel.findMine(me.user.id, { limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.travel.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen).toEqual([...mine].sort((a, b) => b - a));
    });
  });

  describe('findPopularTravels', () => {
    it('returns the top 10 PUBLIC, not deleted travels by participantCount', async () => {
      const crowd = await Promise.all(Array.from({ length: 4 }, () => createUser(db.env)));
      const big = await createTravel(host);
      for (const u of crowd) await Travel.join(big.id, u.user.id);
      const privateBig = await createTravel(host, { visibility: TravelVisibility.PRIVATE });
      for (const u of crowd) await Travel.addMember(privateBig.id, u.user.id);
      const deletedBig = await createTravel(host);
      for (const u of crowd) await Travel.join(deletedBig.id, u.user.id);
      await Travel.softDeleteWithPlanets(deletedBig.id);

      const popular = await Travel.findPopularTravels();
      expect(popular.length).toBeLessThanOrEqual(10);
      expect(popular[0].id).toBe(big.id);
      expect(popular.every((t) => t.visibility === TravelVisibility.PUBLIC)).toBe(true);
      expect(popular.map((t) => t.id)).not.toContain(privateBig.id);
      expect(popular.map((t) => t.id)).not.toContain(deletedBig.id);
      const counts = popular.map((t) => t.participantCount);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    });
  });

  describe('participantCount under concurrency', () => {
    it('equals COUNT(*) of ACTIVE members after 50 concurrent joins and leaves by repeating users', async () => {
      const travel = await createTravel(host);
      const users = await Promise.all(Array.from({ length: 12 }, () => createUser(db.env)));
      // Every user joins, some repeatedly, some leave and rejoin; all 50 calls start at once.
      const plan = Array.from({ length: 50 }, (_, i) => ({ userId: users[(i * 7) % users.length].user.id, join: i % 3 !== 2 }));
      const ops = plan.map(({ userId, join }) => (join ? Travel.join(travel.id, userId) : Travel.leave(travel.id, userId)));
      const results = await Promise.allSettled(ops);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

      const { participantCount } = await stored(travel.id);
      expect(participantCount).toBe(await activeCount(travel.id));
      expect(participantCount).toBeGreaterThanOrEqual(1);
      // One row per user ever joined: a rejoin reactivates, never duplicates.
      expect(await TravelUser.countBy({ travelId: travel.id })).toBe(1 + new Set(plan.filter((p) => p.join).map((p) => p.userId)).size);
    });
  });
});
