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
  const { membership } = await Travel.addMember(travel.id, idOf(user));
  if (role === TravelRole.HOST) return (await Travel.setMemberRole(travel.id, idOf(user), role)).membership;
  return membership;
}
