import { Column, CreateDateColumn, Entity, EntityManager, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { MembershipRecord, MembershipStatus, statusSql } from '../../common/membership/membership';
import { afterCommit } from '../../common/database/base-active-record';
import { invalidateCacheTags } from '../../infrastructure/cache/cache-registry';
import { CacheResult } from '../../infrastructure/cache/cache-result.decorator';
import { MEMBERSHIP_CACHE, MEMBERSHIP_TTL_SECONDS } from '../planet/planet-user.entity';
import type { User } from '../user/user.entity';
import { TravelRole } from './travel.enums';
import type { Travel } from './travel.entity';

/**
 * A user's membership of a travel. The rule "an ACTIVE member of a travel that is not deleted" is
 * defined here once (`liveSql`, `findActive`); travel and planet statics use it. `activate`, `end`
 * and `setRole` are the only writers of a membership's status and role (inside Travel's locked
 * transactions).
 */
@Entity('travel_user')
@Unique('UQ_travel_user_travel_user', ['travelId', 'userId'])
@Index('IDX_travel_user_user_status', ['userId', 'status'])
export class TravelUser extends MembershipRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  travelId!: number;

  @ManyToOne('Travel', (t: Travel) => t.travelUsers, { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'travel_id' })
  travel?: Travel;

  @Column({ type: 'int' })
  userId!: number;

  @ManyToOne('User', (u: User) => u.travelUsers, { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'enum', enum: TravelRole, enumName: 'travel_role', default: TravelRole.MEMBER })
  role!: TravelRole;

  @Column({ type: 'enum', enum: MembershipStatus, enumName: 'membership_status', default: MembershipStatus.ACTIVE })
  status!: MembershipStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  leftAt!: Date | null;

  /** SQL: the travel_user row `alias` is an ACTIVE membership of a travel that is not deleted (self-contained). */
  static liveSql(alias = 'tu'): string {
    return `(${statusSql(alias, MembershipStatus.ACTIVE)} AND EXISTS (SELECT 1 FROM travel live_travel WHERE live_travel.id = ${alias}.travel_id AND live_travel.deleted_at IS NULL))`;
  }

  /**
   * The user's ACTIVE membership of a live travel, or null; with `lock`, the row stays locked
   * (FOR NO KEY UPDATE) until the caller's transaction ends. Cached outside transactions
   * (namespace `membership`): the writers below drop `travel-member:<travel>:<user>` (only the
   * member whose row changed) after commit; a deleted travel drops `travel-members:<travel>`, a
   * deleted account `user:<id>`.
   */
  @CacheResult<[number, number, EntityManager?, boolean?]>(MEMBERSHIP_TTL_SECONDS, {
    namespace: MEMBERSHIP_CACHE,
    tags: (travelId, userId) => [`travel-member:${travelId}:${userId}`, `travel-members:${travelId}`, `user:${userId}`],
    bypass: (_travelId, _userId, manager, lock) => manager !== undefined || lock === true,
    revive: (row) => (row ? Object.assign(new TravelUser(), row) : null),
  })
  static findActive(travelId: number, userId: number, manager?: EntityManager, lock = false): Promise<TravelUser | null> {
    const qb = TravelUser.managerOf(manager)
      .createQueryBuilder(TravelUser, 'tu')
      .where('tu.travelId = :travelId AND tu.userId = :userId', { travelId, userId })
      .andWhere(TravelUser.liveSql('tu'));
    if (lock) qb.setLock('for_no_key_update');
    return qb.getOne();
  }

  /** Makes `existing` (or a new row) the user's ACTIVE membership with `role`; inside the caller's transaction. */
  static async activate(
    m: EntityManager,
    travelId: number,
    userId: number,
    existing: TravelUser | null,
    role: TravelRole,
  ): Promise<TravelUser> {
    TravelUser.changed(m, travelId, userId);
    if (!existing) return m.save(m.create(TravelUser, { travelId, userId, role, status: MembershipStatus.ACTIVE }));
    const joinedAt = new Date();
    await m.update(TravelUser, { id: existing.id }, { status: MembershipStatus.ACTIVE, role, leftAt: null, joinedAt });
    return Object.assign(existing, { status: MembershipStatus.ACTIVE, role, leftAt: null, joinedAt });
  }

  /** Ends the membership (LEFT, with leftAt); inside the caller's transaction. */
  static async end(m: EntityManager, membership: TravelUser): Promise<void> {
    TravelUser.changed(m, membership.travelId, membership.userId);
    await m.update(TravelUser, { id: membership.id }, { status: MembershipStatus.LEFT, leftAt: new Date() });
  }

  static async setRole(m: EntityManager, membership: TravelUser, role: TravelRole): Promise<void> {
    TravelUser.changed(m, membership.travelId, membership.userId);
    await m.update(TravelUser, { id: membership.id }, { role });
    membership.role = role;
  }

  /**
   * After commit, on every node: the member's cached membership check, and the travel's cached
   * summary (its participantCount changes with every activation and end).
   */
  private static changed(m: EntityManager, travelId: number, userId: number): void {
    afterCommit(m, () => invalidateCacheTags([`travel-member:${travelId}:${userId}`, `travel:${travelId}`]));
  }
}
