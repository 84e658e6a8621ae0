import { randomBytes } from 'node:crypto';
import { TravelUser } from '../../src/modules/travel/travel-user.entity';
import { Travel, TravelInput } from '../../src/modules/travel/travel.entity';
import { TravelRole, TravelVisibility } from '../../src/modules/travel/travel.enums';
import { idOf, UserRef } from './ref';

/**
 * A travel hosted by `host` (a user or a createUser() fixture), through Travel.createWithHost,
 * so participantCount and the HOST membership are as the app makes them. PUBLIC unless told.
 */
export async function createTravel(host: UserRef, overrides: Partial<TravelInput> = {}): Promise<Travel> {
  const { travel } = await Travel.createWithHost(idOf(host), {
    title: `부산 여행 ${randomBytes(3).toString('hex')}`,
    visibility: TravelVisibility.PUBLIC,
    ...overrides,
  });
  return travel;
}

/** Makes `user` an ACTIVE member (any visibility, as a host adding them would); `role: HOST` makes a co-host. */
export async function addMember(travel: { id: number }, user: UserRef, role: TravelRole = TravelRole.MEMBER): Promise<TravelUser> {
  const added = await Travel.addMember(travel.id, idOf(user));
  if (added.kind !== 'member') throw new Error(`addMember(${travel.id}, ${idOf(user)}) refused: ${added.kind}`);
  if (role === TravelRole.MEMBER) return added.membership;
  const promoted = await Travel.setMemberRole(travel.id, idOf(user), role);
  if (promoted.kind !== 'member') throw new Error(`setMemberRole(${travel.id}, ${idOf(user)}) refused: ${promoted.kind}`);
  return promoted.membership;
}
