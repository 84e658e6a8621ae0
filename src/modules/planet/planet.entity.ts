import {
  Column,
  EntityManager,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import { AppException } from '../../common/errors/app.exception';
import { TravelUser } from '../travel/travel-user.entity';
import type { Travel } from '../travel/travel.entity';
import { MembershipStatus, TravelVisibility } from '../travel/travel.enums';
import { PlanetUser } from './planet-user.entity';
import { PlanetRole } from './planet.enums';

/** A planet as one user may reach it. */
export interface PlanetAccess {
  planet: Planet;
  travelVisibility: TravelVisibility;
  /** The user is an ACTIVE member of the planet's travel (what every planet route requires). */
  isTravelMember: boolean;
  /** The user's ACTIVE planet membership, or null. */
  membership: PlanetUser | null;
}

export interface PlanetWithStats {
  planet: Planet;
  memberCount: number;
  isMember: boolean;
}

export interface MyPlanet {
  planet: Planet;
  travelTitle: string;
  role: PlanetRole;
}

export interface PlanetMembershipChange {
  membership: PlanetUser;
  /** false when nothing changed (an idempotent repeat). */
  changed: boolean;
}

@Entity('planet')
@Index('IDX_planet_travel', ['travelId'])
export class Planet extends BaseActiveRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  travelId!: number;

  @ManyToOne('Travel', (t: Travel) => t.planets, { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'travel_id' })
  travel?: Travel;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'int' })
  createdById!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt!: Date | null;

  @OneToMany('PlanetUser', (pu: PlanetUser) => pu.planet, { eager: false })
  planetUsers?: PlanetUser[];

  /** Creates a planet in the travel with the creator as its ACTIVE ADMIN (the creator must be an ACTIVE travel member). */
  static async createWithCreator(travelId: number, userId: number, name: string): Promise<{ planet: Planet; membership: PlanetUser }> {
    return Planet.transaction(async (m) => {
      await Planet.lockTravelMembership(m, travelId, userId);
      const planet = await m.save(m.create(Planet, { travelId, name, createdById: userId }));
      const membership = await m.save(m.create(PlanetUser, { planetId: planet.id, userId, role: PlanetRole.ADMIN, status: MembershipStatus.ACTIVE }));
      return { planet, membership };
    });
  }

  /**
   * The planet with what `userId` is to it, in one query; null when the planet or its travel does
   * not exist or is deleted.
   */
  static async findAccess(planetId: number, userId: number): Promise<PlanetAccess | null> {
    const row = await Planet.createQueryBuilder('p')
      .innerJoinAndSelect('p.travel', 't', 't.deletedAt IS NULL')
      .leftJoinAndSelect('t.travelUsers', 'tu', 'tu.userId = :userId AND tu.status = :active')
      .leftJoinAndSelect('p.planetUsers', 'pu', 'pu.userId = :userId AND pu.status = :active')
      .where('p.id = :planetId', { planetId })
      .setParameters({ userId, active: MembershipStatus.ACTIVE })
      .getOne();
    if (!row?.travel) return null;
    const { travel, planetUsers } = row;
    delete row.travel;
    delete row.planetUsers;
    return {
      planet: row,
      travelVisibility: travel.visibility,
      isTravelMember: (travel.travelUsers?.length ?? 0) > 0,
      membership: planetUsers?.[0] ?? null,
    };
  }

  /** The travel's planets, oldest first, each with its ACTIVE member count and whether `userId` is one. */
  static async findForTravel(travelId: number, userId: number): Promise<PlanetWithStats[]> {
    const { entities, raw } = await Planet.createQueryBuilder('p')
      .addSelect("(SELECT count(*) FROM planet_user c WHERE c.planet_id = p.id AND c.status = 'ACTIVE')::int", 'member_count')
      .addSelect("EXISTS (SELECT 1 FROM planet_user c WHERE c.planet_id = p.id AND c.user_id = :userId AND c.status = 'ACTIVE')", 'is_member')
      .where('p.travelId = :travelId', { travelId, userId })
      .orderBy('p.id', 'ASC')
      .getRawAndEntities<{ member_count: number; is_member: boolean }>();
    return entities.map((planet, i) => ({ planet, memberCount: raw[i].member_count, isMember: raw[i].is_member }));
  }

  /** Planets where the user is an ACTIVE member (planet and travel not deleted), with the travel title and the user's role. */
  static async findMine(userId: number): Promise<MyPlanet[]> {
    const { entities, raw } = await Planet.createQueryBuilder('p')
      .innerJoin('p.planetUsers', 'pu', 'pu.userId = :userId AND pu.status = :active', { userId, active: MembershipStatus.ACTIVE })
      .innerJoin('p.travel', 't', 't.deletedAt IS NULL')
      .addSelect('t.title', 'travel_title')
      .addSelect('pu.role', 'my_role')
      .orderBy('p.id', 'DESC')
      .getRawAndEntities<{ travel_title: string; my_role: PlanetRole }>();
    return entities.map((planet, i) => ({ planet, travelTitle: raw[i].travel_title, role: raw[i].my_role }));
  }

  /** Joins the planet (ACTIVE travel members only); repeating is harmless; a member who left is reactivated. */
  static async join(planetId: number, userId: number): Promise<PlanetMembershipChange> {
    return Planet.transaction(async (m) => {
      const planet = await m.findOne(Planet, { where: { id: planetId } });
      if (!planet) throw AppException.notFound('Planet');
      await Planet.lockTravelMembership(m, planet.travelId, userId);
      const existing = await m.findOne(PlanetUser, { where: { planetId, userId } });
      if (existing?.status === MembershipStatus.ACTIVE) return { membership: existing, changed: false };
      if (existing?.status === MembershipStatus.BANNED) throw AppException.forbidden('You were removed from this planet');
      await Planet.markCaughtUp(m, planetId, userId);
      if (existing) {
        const joinedAt = new Date();
        await m.update(PlanetUser, { id: existing.id }, { status: MembershipStatus.ACTIVE, leftAt: null, joinedAt });
        return { membership: Object.assign(existing, { status: MembershipStatus.ACTIVE, leftAt: null, joinedAt }), changed: true };
      }
      const membership = await m.save(m.create(PlanetUser, { planetId, userId, role: PlanetRole.MEMBER, status: MembershipStatus.ACTIVE }));
      return { membership, changed: true };
    });
  }

  /**
   * A member (re)joining starts with nothing unread: their read watermark moves to the planet's
   * newest message (forward only). History stays readable; it just is not counted as unread, and
   * the unread count stays a short index range scan instead of a count of the whole history.
   */
  private static async markCaughtUp(m: EntityManager, planetId: number, userId: number): Promise<void> {
    await m.query(
      `INSERT INTO message_read_receipt (planet_id, user_id, last_read_message_id)
       SELECT $1, $2, max(id) FROM message WHERE planet_id = $1 HAVING max(id) IS NOT NULL
       ON CONFLICT (planet_id, user_id) DO UPDATE
         SET last_read_message_id = GREATEST(message_read_receipt.last_read_message_id, EXCLUDED.last_read_message_id), read_at = now()`,
      [planetId, userId],
    );
  }

  /** Ends the user's ACTIVE membership; `false` when there was none. */
  static async leave(planetId: number, userId: number): Promise<boolean> {
    return Planet.transaction(async (m) => {
      const planet = await m.findOne(Planet, { where: { id: planetId } });
      if (!planet) throw AppException.notFound('Planet');
      const result = await m.update(PlanetUser, { planetId, userId, status: MembershipStatus.ACTIVE }, { status: MembershipStatus.LEFT, leftAt: new Date() });
      return (result.affected ?? 0) > 0;
    });
  }

  /**
   * Locks the user's ACTIVE travel membership row until commit, so that leaving the travel (which
   * updates that row, then ends planet memberships) and planet joins/creations never interleave.
   */
  private static async lockTravelMembership(m: EntityManager, travelId: number, userId: number): Promise<void> {
    const row = await m
      .createQueryBuilder(TravelUser, 'tu')
      .innerJoin('tu.travel', 't', 't.deletedAt IS NULL')
      .setLock('for_no_key_update', undefined, ['tu'])
      .where('tu.travelId = :travelId AND tu.userId = :userId AND tu.status = :active', { travelId, userId, active: MembershipStatus.ACTIVE })
      .getOne();
    if (!row) throw AppException.forbidden('Only members of the travel may do this');
  }
}
