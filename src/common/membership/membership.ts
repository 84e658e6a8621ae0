import { BaseActiveRecord } from '../database/base-active-record';

/** Status of a travel or planet membership (one Postgres enum, `membership_status`, for both tables). */
export enum MembershipStatus {
  ACTIVE = 'ACTIVE',
  LEFT = 'LEFT',
  BANNED = 'BANNED',
}

/**
 * SQL: the membership row `alias` has `status`. The value comes from the enum (never user text), so
 * SQL texts never spell 'ACTIVE' or 'LEFT' themselves.
 */
export function statusSql(alias: string, status: MembershipStatus): string {
  return `${alias}.status = '${status}'`;
}

/**
 * What PlanetUser and TravelUser share: a status, and the one way to ask whether it is ACTIVE.
 * Each subclass owns the full rule for its table ("ACTIVE member of a live planet / travel") as
 * `liveSql` plus statics that use it, so a cache of the rule has one place to live.
 */
export abstract class MembershipRecord extends BaseActiveRecord {
  abstract status: MembershipStatus;

  isActive(): boolean {
    return this.status === MembershipStatus.ACTIVE;
  }
}
