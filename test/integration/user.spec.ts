import { TravelUser } from '../../src/modules/travel/travel-user.entity';
import { Travel } from '../../src/modules/travel/travel.entity';
import { MembershipStatus, TravelRole, TravelVisibility } from '../../src/modules/travel/travel.enums';
import { User } from '../../src/modules/user/user.entity';
import { createUser } from '../factories/user.factory';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

describe('User statics (explicit loading, seed Phase 4)', () => {
  let db: SuiteDb;
  beforeAll(async () => {
    db = await openSuiteDb('user');
  });
  afterAll(async () => {
    await db.close();
  });

  async function travelWith(userId: number, status: MembershipStatus, title: string, deleted = false): Promise<Travel> {
    const travel = await Travel.create({ title, visibility: TravelVisibility.PUBLIC, createdById: userId, participantCount: 1 }).save();
    await TravelUser.create({ travelId: travel.id, userId, role: TravelRole.HOST, status }).save();
    if (deleted) await travel.softRemove();
    return travel;
  }

  it('findWithProfile loads the profile and nothing else', async () => {
    const { user } = await createUser(db.env, { nickname: '하늘' });
    const found = await User.findWithProfile(user.id);
    expect(found?.profile?.nickname).toBe('하늘');
    expect(found?.travelUsers).toBeUndefined();
  });

  it('a plain find loads no relation (eager: false everywhere)', async () => {
    const { user } = await createUser(db.env);
    const found = await User.findOneByOrFail({ id: user.id });
    expect(found.profile).toBeUndefined();
    expect(found.travelUsers).toBeUndefined();
    expect((found as unknown as { passwordHash?: string }).passwordHash).toBeUndefined();
  });

  it('findWithTravels loads only active memberships of undeleted travels', async () => {
    const { user } = await createUser(db.env);
    const active = await travelWith(user.id, MembershipStatus.ACTIVE, '부산 여행');
    await travelWith(user.id, MembershipStatus.LEFT, '제주 여행');
    await travelWith(user.id, MembershipStatus.ACTIVE, '삭제된 여행', true);
    const found = await User.findWithTravels(user.id);
    const titles = (found?.travelUsers ?? []).map((tu) => tu.travel?.title);
    expect(titles).toEqual([active.title]);
    expect(found?.profile).toBeUndefined();
  });

  it('returns null for an unknown id', async () => {
    expect(await User.findWithProfile(99999999)).toBeNull();
    expect(await User.findWithTravels(99999999)).toBeNull();
  });

  it('keeps email unique whatever its case, at the database level', async () => {
    await createUser(db.env, { email: 'case@example.com' });
    await expect(db.dataSource.query(`INSERT INTO "user" (email, password_hash) VALUES ('CASE@example.com', 'x')`)).rejects.toThrow(
      /UQ_user_email_lower/,
    );
  });
});
