/**
 * The one way tests build data: through the entity statics, as the app does. `buildWorld` makes a
 * travel, its planets and members in given states; the others make one thing each.
 */
export { idOf } from './ref';
export type { UserRef } from './ref';
export { accessTokenFor, createUser, FACTORY_PASSWORD } from './user.factory';
export type { UserFixture } from './user.factory';
export { addMember, createTravel } from './travel.factory';
export { createPlanet, joinPlanet } from './planet.factory';
export { createMessage, createMessages } from './message.factory';
export type { MessageOverrides } from './message.factory';
export { buildWorld, planetWith, setPlanetState, watermark } from './world.factory';
export { createMedia } from './media.factory';
export type { PlanetState, World, WorldSpec } from './world.factory';
