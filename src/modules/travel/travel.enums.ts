export enum TravelVisibility {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
}

export enum TravelRole {
  HOST = 'HOST',
  MEMBER = 'MEMBER',
}

/** Lives in src/common/membership (shared by travels and planets); re-exported for older imports. */
export { MembershipStatus } from '../../common/membership/membership';
