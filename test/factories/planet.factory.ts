import { randomBytes } from 'node:crypto';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { Planet } from '../../src/modules/planet/planet.entity';
import { idOf, UserRef } from './ref';

/** A planet in `travel` created by `creator` (who must be an ACTIVE travel member) as its ADMIN. */
export async function createPlanet(travel: { id: number }, creator: UserRef, overrides: { name?: string } = {}): Promise<Planet> {
  const outcome = await Planet.createWithCreator(travel.id, idOf(creator), overrides.name ?? `맛집 ${randomBytes(3).toString('hex')}`);
  if (outcome.kind !== 'created') throw new Error(`createPlanet refused: ${outcome.kind}`);
  return outcome.planet;
}

/** Makes `user` (an ACTIVE member of the planet's travel) an ACTIVE member of the planet. */
export async function joinPlanet(planet: { id: number }, user: UserRef): Promise<PlanetUser> {
  const outcome = await Planet.join(planet.id, idOf(user));
  if (outcome.kind !== 'joined') throw new Error(`joinPlanet refused: ${outcome.kind}`);
  return outcome.membership;
}
