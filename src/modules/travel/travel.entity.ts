import { lagTolerantRead } from '../../infrastructure/database/read-replicas';
import {
  Check,
  Column,
  EntityManager,
  QueryFailedError,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { afterCommit, BaseActiveRecord } from '../../common/database/base-active-record';
import { AppException } from '../../common/errors/app.exception';
import { invalidateCacheTags } from '../../infrastructure/cache/cache-registry';
import { CacheResult } from '../../infrastructure/cache/cache-result.decorator';
import type { Planet } from '../planet/planet.entity';
import { MembershipStatus } from '../../common/membership/membership';
import { PlanetUser } from '../planet/planet-user.entity';
import { User } from '../user/user.entity';
import { TravelUser } from './travel-user.entity';
import { TravelRole, TravelVisibility } from './travel.enums';

export interface TravelInput {
  title: string;
  description?: string | null;
  visibility: TravelVisibility;
  startDate?: string | null;
  endDate?: string | null;
}

/** What one membership change did, read inside the transaction that made it. */
export interface TravelMembershipChange {
  membership: TravelUser;
  participantCount: number;
  /** false when the call found the membership already as asked (an idempotent repeat). */
  changed: boolean;
}

export interface TravelLeaveResult {
  left: boolean;
  /** Planets whose ACTIVE membership ended with the travel membership (for socket rooms). */
  endedPlanetIds: number[];
  /** The last member left, so the travel was deleted. */
  travelDeleted: boolean;
}

/**
 * Why a membership change was refused, decided under the travel's row lock; TravelService turns it
 * into the HTTP answer (as Planet's PlanetRefusal and Message.insertForMember's outcomes).
 */
export type TravelRefusal =
  /** The travel does not exist or is deleted, or (join, leave) it is PRIVATE and the caller is not a member. */
  | { kind: 'not-found' }
  /** join: the caller was removed from the travel. */
  | { kind: 'banned' }
  /** addMember: there is no such user. */
  | { kind: 'unknown-user' }
  /** addMember: the user is already an ACTIVE member. */
  | { kind: 'already-member' }
  /** setMemberRole: the user is not an ACTIVE member. */
  | { kind: 'not-member' }
  /** leave: the last host may not leave while other members remain. */
  | { kind: 'last-host-leaving' }
  /** setMemberRole: the last host may not step down. */
  | { kind: 'last-host-demoted' };

export type TravelMembershipOutcome = ({ kind: 'member' } & TravelMembershipChange) | TravelRefusal;
export type TravelLeaveOutcome =
  ({ kind: 'left' } & TravelLeaveResult) | Extract<TravelRefusal, { kind: 'not-found' | 'last-host-leaving' }>;

export interface TravelAccess {
  travel: Travel;
  /** The caller's ACTIVE membership, or null. */
  membership: TravelUser | null;
}

export interface TravelPage {
  items: { travel: Travel; role: TravelRole }[];
  nextCursor: number | null;
}

export const POPULAR_TRAVELS_LIMIT = 10;
/** The seed's figure: the popular list is cached for two hours, and invalidated on every change. */
export const POPULAR_TRAVELS_TTL_SECONDS = 7200;
export const POPULAR_TRAVELS_CACHE = 'travel:popular';
export const POPULAR_TRAVELS_GRACE_SECONDS = 600;

/** A travel as plain JSON data (what the cache stores: dates as ISO strings). */
export interface TravelSummary {
  id: number;
  title: string;
  description: string | null;
  visibility: TravelVisibility;
  participantCount: number;
  startDate: string | null;
  endDate: string | null;
  createdById: number;
  createdAt: string;
  updatedAt: string;
}

@Entity('travel')
@Check('CHK_travel_participant_count', '"participant_count" >= 0')
@Check('CHK_travel_dates', '"start_date" IS NULL OR "end_date" IS NULL OR "start_date" <= "end_date"')
@Index('IDX_travel_popular', { synchronize: false })
export class Travel extends BaseActiveRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ type: 'enum', enum: TravelVisibility, enumName: 'travel_visibility' })
  visibility!: TravelVisibility;

  /** Exact number of ACTIVE members; changed only in the transaction that changes a membership. */
  @Column({ type: 'int', default: 0 })
  participantCount!: number;

  @Column({ type: 'date', nullable: true })
  startDate!: string | null;

  @Column({ type: 'date', nullable: true })
  endDate!: string | null;

  @Column({ type: 'int' })
  createdById!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt!: Date | null;

  @OneToMany('TravelUser', (tu: TravelUser) => tu.travel, { eager: false })
  travelUsers?: TravelUser[];

  @OneToMany('Planet', (p: Planet) => p.travel, { eager: false })
  planets?: Planet[];

  /** endDate before startDate is the caller's mistake, named by field (the CHECK constraint backs this). */
  static assertDates(startDate: string | null | undefined, endDate: string | null | undefined): void {
    if (startDate && endDate && endDate < startDate) throw AppException.badRequest('endDate', 'must not be before startDate');
  }

  /** Creates the travel with its creator as the ACTIVE HOST (participantCount 1), in one transaction. */
  static async createWithHost(userId: number, input: TravelInput): Promise<{ travel: Travel; membership: TravelUser }> {
    Travel.assertDates(input.startDate, input.endDate);
    return Travel.transaction(async (m) => {
      const travel = await m.save(
        m.create(Travel, {
          title: input.title,
          description: input.description ?? null,
          visibility: input.visibility,
          startDate: input.startDate ?? null,
          endDate: input.endDate ?? null,
          createdById: userId,
          participantCount: 1,
        }),
      );
      const membership = await TravelUser.activate(m, travel.id, userId, null, TravelRole.HOST);
      return { travel, membership };
    });
  }

  /**
   * The travel as `userId` may see it: null when it does not exist, is deleted, or is PRIVATE and
   * the user is not an ACTIVE member (callers answer 404 and so reveal nothing).
   */
  static async findAccessible(id: number, userId: number): Promise<TravelAccess | null> {
    const travel = await Travel.createQueryBuilder('t')
      .leftJoinAndSelect('t.travelUsers', 'tu', `tu.userId = :userId AND ${TravelUser.liveSql('tu')}`, { userId })
      .where('t.id = :id', { id })
      .getOne();
    if (!travel) return null;
    const membership = travel.travelUsers?.[0] ?? null;
    delete travel.travelUsers;
    if (!membership && travel.visibility !== TravelVisibility.PUBLIC) return null;
    return { travel, membership };
  }

  /** Travels where the user is an ACTIVE member, newest first, by keyset on the travel id. */
  static async findMine(userId: number, opts: { limit: number; cursor?: number }): Promise<TravelPage> {
    const qb = Travel.createQueryBuilder('t')
      .innerJoinAndSelect('t.travelUsers', 'tu', `tu.userId = :userId AND ${TravelUser.liveSql('tu')}`, { userId })
      .orderBy('t.id', 'DESC')
      .limit(opts.limit + 1);
    if (opts.cursor !== undefined) qb.andWhere('t.id < :cursor', { cursor: opts.cursor });
    const rows = await qb.getMany();
    const page = rows.slice(0, opts.limit);
    const items = page.map((travel) => {
      const role = travel.travelUsers![0].role;
      delete travel.travelUsers;
      return { travel, role };
    });
    return { items, nextCursor: rows.length > opts.limit ? page[page.length - 1].id : null };
  }

  /**
   * Top PUBLIC travels by participantCount (served by the partial index IDX_travel_popular),
   * cached for 2 h (L1 and Redis); TravelService invalidates POPULAR_TRAVELS_CACHE on every node on
   * every change that can reorder or alter the list. Grace: while the database struggles, the last
   * list is served up to 10 min past its TTL.
   */
  @CacheResult(POPULAR_TRAVELS_TTL_SECONDS, { namespace: POPULAR_TRAVELS_CACHE, graceSeconds: POPULAR_TRAVELS_GRACE_SECONDS })
  static async findPopularTravels(limit = POPULAR_TRAVELS_LIMIT): Promise<TravelSummary[]> {
    // A cache miss may be answered by a read replica: the list tolerates seconds of lag.
    const travels = await lagTolerantRead(undefined, (manager) =>
      Travel.managerOf(manager).find(Travel, {
        where: { visibility: TravelVisibility.PUBLIC },
        order: { participantCount: 'DESC', id: 'ASC' },
        take: limit,
      }),
    );
    return travels.map((t) => t.toSummary());
  }

  toSummary(): TravelSummary {
    return {
      id: this.id,
      title: this.title,
      description: this.description,
      visibility: this.visibility,
      participantCount: this.participantCount,
      startDate: this.startDate,
      endDate: this.endDate,
      createdById: this.createdById,
      createdAt: new Date(this.createdAt).toISOString(),
      updatedAt: new Date(this.updatedAt).toISOString(),
    };
  }

  /** Changes only the given fields (never participantCount), checking the dates against the stored ones; null when the travel is gone. */
  static async updateDetails(id: number, patch: Partial<TravelInput>): Promise<Travel | null> {
    return Travel.transaction(async (m) => {
      const travel = await Travel.lockLive(m, id);
      if (!travel) return null;
      Travel.detailsChanged(m, id, false);
      const startDate = patch.startDate !== undefined ? patch.startDate : travel.startDate;
      const endDate = patch.endDate !== undefined ? patch.endDate : travel.endDate;
      Travel.assertDates(startDate, endDate);
      const set: Partial<Travel> = {};
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.visibility !== undefined) set.visibility = patch.visibility;
      if (patch.startDate !== undefined) set.startDate = patch.startDate;
      if (patch.endDate !== undefined) set.endDate = patch.endDate;
      if (Object.keys(set).length > 0) {
        await m.update(Travel, { id }, set).catch((err: unknown) => {
          throw Travel.isDateCheckViolation(err) ? AppException.badRequest('endDate', 'must not be before startDate') : err;
        });
      }
      return m.findOneByOrFail(Travel, { id });
    });
  }

  /**
   * Soft-deletes the travel and its planets; every ACTIVE planet membership in it ends (so sockets
   * leave the rooms). Returns the ended memberships, or null when the travel is gone already.
   */
  static async softDeleteWithPlanets(id: number): Promise<{ planetId: number; userId: number }[] | null> {
    return Travel.transaction(async (m) => {
      if (!(await Travel.lockLive(m, id))) return null;
      const ended = await PlanetUser.endInTravel(m, id);
      await Travel.softDeleteLocked(m, id);
      return ended;
    });
  }

  /**
   * Joins a PUBLIC travel (an ACTIVE member gets its membership back unchanged; a LEFT one is
   * reactivated as MEMBER). Membership and participantCount change together under the travel's row lock.
   */
  static async join(travelId: number, userId: number): Promise<TravelMembershipOutcome> {
    return Travel.transaction(async (m) => {
      const travel = await Travel.lockLive(m, travelId);
      if (!travel) return { kind: 'not-found' };
      const existing = await m.findOne(TravelUser, { where: { travelId, userId } });
      if (existing?.isActive()) return { kind: 'member', membership: existing, participantCount: travel.participantCount, changed: false };
      if (travel.visibility !== TravelVisibility.PUBLIC) return { kind: 'not-found' };
      if (existing?.status === MembershipStatus.BANNED) return { kind: 'banned' };
      return Travel.activate(m, travel, userId, existing, TravelRole.MEMBER);
    });
  }

  /** A host adds a user (any visibility; the service checks the host). */
  static async addMember(travelId: number, userId: number): Promise<TravelMembershipOutcome> {
    return Travel.transaction(async (m) => {
      const travel = await Travel.lockLive(m, travelId);
      if (!travel) return { kind: 'not-found' };
      if (!(await m.exists(User, { where: { id: userId } }))) return { kind: 'unknown-user' };
      const existing = await m.findOne(TravelUser, { where: { travelId, userId } });
      if (existing?.isActive()) return { kind: 'already-member' };
      return Travel.activate(m, travel, userId, existing, TravelRole.MEMBER);
    });
  }

  /**
   * Ends the user's membership and their planet memberships in this travel. Not a member: a no-op
   * (`left: false`), or not-found for a PRIVATE travel. The last HOST may not leave while other
   * members remain (make someone else host first, or delete the travel); when the last member
   * leaves, the travel is deleted. Visibility is checked here only, under the row lock.
   */
  static async leave(travelId: number, userId: number): Promise<TravelLeaveOutcome> {
    return Travel.transaction(async (m) => {
      const travel = await Travel.lockLive(m, travelId);
      if (!travel) return { kind: 'not-found' };
      const membership = await TravelUser.findActive(travelId, userId, m);
      if (!membership)
        return travel.visibility === TravelVisibility.PUBLIC
          ? { kind: 'left', left: false, endedPlanetIds: [], travelDeleted: false }
          : { kind: 'not-found' };

      const lastMember = travel.participantCount <= 1;
      if (membership.role === TravelRole.HOST && !lastMember && (await Travel.otherHostCount(m, travelId, userId)) === 0)
        return { kind: 'last-host-leaving' };
      await TravelUser.end(m, membership);
      await m.query('UPDATE travel SET participant_count = participant_count - 1 WHERE id = $1', [travelId]);
      const ended = await PlanetUser.endInTravel(m, travelId, userId);
      if (lastMember) await Travel.softDeleteLocked(m, travelId);
      return { kind: 'left', left: true, endedPlanetIds: ended.map((e) => e.planetId), travelDeleted: lastMember };
    });
  }

  /** Makes an ACTIVE member HOST or MEMBER; the last host cannot step down. */
  static async setMemberRole(travelId: number, userId: number, role: TravelRole): Promise<TravelMembershipOutcome> {
    return Travel.transaction(async (m) => {
      const travel = await Travel.lockLive(m, travelId);
      if (!travel) return { kind: 'not-found' };
      const membership = await TravelUser.findActive(travelId, userId, m);
      if (!membership) return { kind: 'not-member' };
      if (membership.role === role) return { kind: 'member', membership, participantCount: travel.participantCount, changed: false };
      if (role === TravelRole.MEMBER && (await Travel.otherHostCount(m, travelId, userId)) === 0) return { kind: 'last-host-demoted' };
      await TravelUser.setRole(m, membership, role);
      return { kind: 'member', membership, participantCount: travel.participantCount, changed: true };
    });
  }

  /**
   * Locks the (not deleted) travel row for the rest of the transaction; null when there is none.
   * Every change of a travel or of its memberships takes this lock. The cache learns of changes
   * from the writers: TravelUser's (one member's check and the summary), `detailsChanged` here.
   */
  static async lockLive(m: EntityManager, id: number): Promise<Travel | null> {
    return m.createQueryBuilder(Travel, 't').setLock('for_no_key_update').where('t.id = :id', { id }).getOne();
  }

  /**
   * After commit, on every node: the travel's cached summary (`travel:<id>`) and, since a deleted
   * travel ends every membership check of it, all of them (`travel-members:<id>`).
   */
  private static detailsChanged(m: EntityManager, id: number, deleted: boolean): void {
    afterCommit(m, () => invalidateCacheTags(deleted ? [`travel:${id}`, `travel-members:${id}`] : [`travel:${id}`]));
  }

  /** Soft-deletes the locked travel and its planets (their memberships are the caller's to end). */
  private static async softDeleteLocked(m: EntityManager, id: number): Promise<void> {
    Travel.detailsChanged(m, id, true);
    await m.query('UPDATE planet SET deleted_at = now() WHERE travel_id = $1 AND deleted_at IS NULL', [id]);
    await m.query('UPDATE travel SET deleted_at = now() WHERE id = $1', [id]);
  }

  private static async activate(
    m: EntityManager,
    travel: Travel,
    userId: number,
    existing: TravelUser | null,
    role: TravelRole,
  ): Promise<TravelMembershipOutcome> {
    const membership = await TravelUser.activate(m, travel.id, userId, existing, role);
    await m.query('UPDATE travel SET participant_count = participant_count + 1 WHERE id = $1', [travel.id]);
    return { kind: 'member', membership, participantCount: travel.participantCount + 1, changed: true };
  }

  private static async otherHostCount(m: EntityManager, travelId: number, userId: number): Promise<number> {
    return m
      .createQueryBuilder(TravelUser, 'tu')
      .where('tu.travelId = :travelId AND tu.userId <> :userId AND tu.role = :host', { travelId, userId, host: TravelRole.HOST })
      .andWhere(TravelUser.liveSql('tu'))
      .getCount();
  }

  /** A violated CHECK on the dates (a concurrent PATCH) is still the caller's bad input. */
  private static isDateCheckViolation(err: unknown): boolean {
    return err instanceof QueryFailedError && (err.driverError as { constraint?: string } | undefined)?.constraint === 'CHK_travel_dates';
  }
}
