import { MembershipStatus } from '../../src/common/membership/membership';
import { MessageReadReceipt } from '../../src/modules/message/message-read-receipt.entity';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { Planet } from '../../src/modules/planet/planet.entity';
import { PlanetRole } from '../../src/modules/planet/planet.enums';
import { TravelUser } from '../../src/modules/travel/travel-user.entity';
import { Travel, TravelInput } from '../../src/modules/travel/travel.entity';
import { createPlanet, joinPlanet } from './planet.factory';
import { idOf, UserRef } from './ref';
import { addMember, createTravel } from './travel.factory';
import { invalidateCacheTags } from '../../src/infrastructure/cache/cache-registry';

/** What a user is to each planet of a world. */
export type PlanetState = MembershipStatus | 'ADMIN';

export interface WorldSpec {
  /** Hosts the travel and creates (so is ADMIN of) every planet. */
  host: UserRef;
  /** ACTIVE travel members who join every planet, unless `states` says otherwise. */
  members?: UserRef[];
  /** Per planet membership: a member listed here ends up ACTIVE, ADMIN, LEFT or BANNED in every planet. */
  states?: [UserRef, PlanetState][];
  /** How many planets (default 1), or their names. */
  planets?: number | string[];
  travel?: Partial<TravelInput>;
}

export interface World {
  travel: Travel;
  planets: Planet[];
  /** The first planet. */
  planet: Planet;
}

/**
 * A small world built only through the entity statics, as the app builds it (like immich's
 * ctx.newUser()): a travel hosted by `host` with its HOST membership and participantCount, its
 * planets, and members in the given states. Nothing here is raw SQL, so a test never starts from a
 * state the app could not reach (the one exception: BANNED, which no route sets yet, is written
 * through the entity on a real membership).
 */
export async function buildWorld(spec: WorldSpec): Promise<World> {
  const travel = await createTravel(spec.host, spec.travel);
  const names =
    typeof spec.planets === 'number' || spec.planets === undefined
      ? Array.from({ length: spec.planets ?? 1 }, () => undefined)
      : spec.planets;
  const planets: Planet[] = [];
  for (const name of names) planets.push(await createPlanet(travel, spec.host, name === undefined ? {} : { name }));
  const world = { travel, planets, planet: planets[0] };
  for (const member of spec.members ?? [])
    for (const planet of planets) await setPlanetState(world, planet, member, MembershipStatus.ACTIVE);
  for (const [member, state] of spec.states ?? []) for (const planet of planets) await setPlanetState(world, planet, member, state);
  return world;
}

/**
 * Moves `user`'s membership of `planet` to `state` the way the app would: joining the travel
 * (as a host adds them) and the planet for ACTIVE/ADMIN, Planet.leave for LEFT.
 */
export async function setPlanetState(
  world: { travel: { id: number } },
  planet: { id: number },
  user: UserRef,
  state: PlanetState,
): Promise<PlanetUser> {
  const userId = idOf(user);
  if (!(await TravelUser.findActive(world.travel.id, userId))) await addMember(world.travel, user);
  const existing = await PlanetUser.findOneBy({ planetId: planet.id, userId });
  if (existing?.status === MembershipStatus.BANNED) await PlanetUser.update({ id: existing.id }, { status: MembershipStatus.LEFT });
  const membership = await joinPlanet(planet, user);
  if (state === 'ADMIN' && membership.role !== PlanetRole.ADMIN) await PlanetUser.update({ id: membership.id }, { role: PlanetRole.ADMIN });
  if (state === MembershipStatus.LEFT) await Planet.leave(planet.id, userId);
  // No route bans yet: the status is set on the real membership row, through the entity.
  if (state === MembershipStatus.BANNED)
    await PlanetUser.update({ id: membership.id }, { status: MembershipStatus.BANNED, leftAt: new Date() });
  // Direct updates bypass the writer statics: tell the cache of an in-process app, as they would.
  if (state === MembershipStatus.BANNED || existing?.status === MembershipStatus.BANNED)
    await invalidateCacheTags(PlanetUser.cacheTags(planet.id, userId));
  return PlanetUser.findOneByOrFail({ id: membership.id });
}

/** The user's read watermark in the planet, or null when they have none. */
export async function watermark(planet: { id: number } | number, user: UserRef | number): Promise<string | null> {
  const planetId = typeof planet === 'number' ? planet : planet.id;
  const userId = typeof user === 'number' ? user : idOf(user);
  const row = await MessageReadReceipt.findOneBy({ planetId, userId });
  return row ? String(row.lastReadMessageId) : null;
}

/** The id of the one planet of a new world hosted by `host` (its ADMIN), with `members` ACTIVE in it. */
export async function planetWith(host: UserRef, members: UserRef[] = []): Promise<number> {
  return (await buildWorld({ host, members })).planet.id;
}
