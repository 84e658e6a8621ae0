import { Column, CreateDateColumn, Entity, EntityManager, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { afterCommit } from '../../common/database/base-active-record';
import { updateReturning } from '../../common/database/update-returning';
import { invalidateCacheTags } from '../../infrastructure/cache/cache-registry';
import { CacheResult } from '../../infrastructure/cache/cache-result.decorator';
import { MembershipRecord, MembershipStatus, statusSql } from '../../common/membership/membership';
import type { User } from '../user/user.entity';
import { PlanetRole } from './planet.enums';
import type { Planet } from './planet.entity';

/** Cache namespace of the membership check (PlanetUser.findActive / activePlanetIds). */
export const MEMBERSHIP_CACHE = 'membership';
/** Entries are invalidated on every change; the TTL only bounds memory and changes made outside the app. */
export const MEMBERSHIP_TTL_SECONDS = 300;

/** A planet membership that one statement ended. */
export interface EndedPlanetMembership {
  planetId: number;
  userId: number;
}

/**
 * A user's membership of a planet. THE rule of the chat — "an ACTIVE member of a planet that is not
 * deleted" — is defined here once, as `liveSql`, and every path asks it through these statics or
 * embeds `liveSql` in its statement (send, list, read, receipts, search scope, socket rooms). Every
 * status change of a planet membership goes through the statics below too (`activate`, `endOne`,
 * `endInTravel`), so a cache of the rule has one place to be filled and one place to be invalidated.
 *
 * Cached (namespace `membership`): `findActive` (and so `isActiveMember`) and `activePlanetIds`,
 * outside transactions only. Every writer static registers, on its transaction, the invalidation
 * of the (planet, user) pairs it changed; it runs on every node right after the commit, before the
 * request that made the change is answered. Account deletion invalidates the user's tag.
 */
@Entity('planet_user')
@Unique('UQ_planet_user_planet_user', ['planetId', 'userId'])
@Index('IDX_planet_user_user_status', ['userId', 'status'])
export class PlanetUser extends MembershipRecord {
  /** What a change of the user's membership of the planet stales in the cache. */
  static cacheTags(planetId: number, userId: number): string[] {
    return [`planet-member:${planetId}:${userId}`, `user-planets:${userId}`];
  }

  /** Registers, on the writer's transaction, the cache invalidation of the memberships it changed. */
  private static invalidateAfterCommit(m: EntityManager, changed: { planetId: number; userId: number }[]): void {
    if (changed.length === 0) return;
    const tags = changed.flatMap(({ planetId, userId }) => PlanetUser.cacheTags(planetId, userId));
    afterCommit(m, () => invalidateCacheTags(tags));
  }

  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  planetId!: number;

  @ManyToOne('Planet', (p: Planet) => p.planetUsers, { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'planet_id' })
  planet?: Planet;

  @Column({ type: 'int' })
  userId!: number;

  @ManyToOne('User', { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'enum', enum: PlanetRole, enumName: 'planet_role', default: PlanetRole.MEMBER })
  role!: PlanetRole;

  @Column({ type: 'enum', enum: MembershipStatus, enumName: 'membership_status', default: MembershipStatus.ACTIVE })
  status!: MembershipStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  leftAt!: Date | null;

  /**
   * SQL: the planet_user row `alias` is an ACTIVE membership of a planet that is not deleted.
   * Self-contained (needs only the alias), so it fits a WHERE, a JOIN condition or an EXISTS.
   */
  static liveSql(alias = 'pu'): string {
    return `(${statusSql(alias, MembershipStatus.ACTIVE)} AND EXISTS (SELECT 1 FROM planet live_planet WHERE live_planet.id = ${alias}.planet_id AND live_planet.deleted_at IS NULL))`;
  }

  /** Each user's planets where they are an ACTIVE member of a live planet, in one query. */
  static async activePlanetIdsOf(userIds: number[], manager?: EntityManager): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    if (userIds.length === 0) return out;
    const rows = await this.managerOf(manager).query<{ userId: number; planetId: number }[]>(
      `SELECT pu.user_id AS "userId", pu.planet_id AS "planetId" FROM planet_user pu WHERE pu.user_id = ANY($1::int[]) AND ${PlanetUser.liveSql('pu')} ORDER BY pu.planet_id`,
      [userIds],
    );
    for (const { userId, planetId } of rows) {
      const list = out.get(Number(userId)) ?? [];
      list.push(Number(planetId));
      out.set(Number(userId), list);
    }
    return out;
  }

  /** Ids of the planets where the user is an ACTIVE member (the permission filter of lists, search and socket rooms); cached outside transactions. */
  @CacheResult<[number, EntityManager?]>(MEMBERSHIP_TTL_SECONDS, {
    namespace: MEMBERSHIP_CACHE,
    tags: (userId) => [`user-planets:${userId}`, `user:${userId}`],
    bypass: (_userId, manager) => manager !== undefined,
  })
  static async activePlanetIds(userId: number, manager?: EntityManager): Promise<number[]> {
    return (await PlanetUser.activePlanetIdsOf([userId], manager)).get(userId) ?? [];
  }

  /** The user's ACTIVE membership of a live planet, or null; cached outside transactions (a PlanetUser either way). */
  @CacheResult<[number, number, EntityManager?]>(MEMBERSHIP_TTL_SECONDS, {
    namespace: MEMBERSHIP_CACHE,
    tags: (planetId, userId) => [`planet-member:${planetId}:${userId}`, `user:${userId}`],
    bypass: (_planetId, _userId, manager) => manager !== undefined,
    revive: (row) => (row ? Object.assign(new PlanetUser(), row) : null),
  })
  static findActive(planetId: number, userId: number, manager?: EntityManager): Promise<PlanetUser | null> {
    return PlanetUser.managerOf(manager)
      .createQueryBuilder(PlanetUser, 'pu')
      .where('pu.planetId = :planetId AND pu.userId = :userId', { planetId, userId })
      .andWhere(PlanetUser.liveSql('pu'))
      .getOne();
  }

  /** ACTIVE member of a planet that is not deleted. */
  static async isActiveMember(planetId: number, userId: number, manager?: EntityManager): Promise<boolean> {
    return (await PlanetUser.findActive(planetId, userId, manager)) !== null;
  }

  /** Makes `existing` (or a new row) the user's ACTIVE membership with `role`; inside the caller's transaction. */
  static async activate(
    m: EntityManager,
    planetId: number,
    userId: number,
    existing: PlanetUser | null,
    role: PlanetRole,
  ): Promise<PlanetUser> {
    PlanetUser.invalidateAfterCommit(m, [{ planetId, userId }]);
    if (!existing) return m.save(m.create(PlanetUser, { planetId, userId, role, status: MembershipStatus.ACTIVE }));
    const joinedAt = new Date();
    await m.update(PlanetUser, { id: existing.id }, { status: MembershipStatus.ACTIVE, leftAt: null, joinedAt });
    return Object.assign(existing, { status: MembershipStatus.ACTIVE, leftAt: null, joinedAt });
  }

  /** Ends the user's ACTIVE membership of the planet; false when there was none. */
  static async endOne(m: EntityManager, planetId: number, userId: number): Promise<boolean> {
    const result = await m.update(
      PlanetUser,
      { planetId, userId, status: MembershipStatus.ACTIVE },
      { status: MembershipStatus.LEFT, leftAt: new Date() },
    );
    const ended = (result.affected ?? 0) > 0;
    if (ended) PlanetUser.invalidateAfterCommit(m, [{ planetId, userId }]);
    return ended;
  }

  /** Ends the ACTIVE memberships of the travel's live planets (of one user, or of everyone); returns them. */
  static async endInTravel(m: EntityManager, travelId: number, userId?: number): Promise<EndedPlanetMembership[]> {
    const ended = await updateReturning<EndedPlanetMembership>(
      m,
      `UPDATE planet_user pu SET status = '${MembershipStatus.LEFT}', left_at = now()
         FROM planet p
        WHERE p.id = pu.planet_id AND p.travel_id = $1 AND ${PlanetUser.liveSql('pu')}
          AND ($2::int IS NULL OR pu.user_id = $2)
        RETURNING pu.planet_id AS "planetId", pu.user_id AS "userId"`,
      [travelId, userId ?? null],
    );
    PlanetUser.invalidateAfterCommit(m, ended);
    return ended;
  }
}
