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
import { MembershipStatus } from '../../common/membership/membership';
import { MessageReadReceipt } from '../message/message-read-receipt.entity';
import { TravelUser } from '../travel/travel-user.entity';
import type { Travel } from '../travel/travel.entity';
import { TravelVisibility } from '../travel/travel.enums';
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

/** Why a planet could not be created or joined; the service turns it into the HTTP answer. */
export type PlanetRefusal =
  /** The planet or its travel does not exist or is deleted, or the travel is PRIVATE to a non-member. */
  | { kind: 'not-found' }
  /** Visible, but the user is not an ACTIVE member of the travel. */
  | { kind: 'not-travel-member' }
  /** The user was removed from the planet. */
  | { kind: 'banned' };

export type PlanetCreateOutcome = { kind: 'created'; planet: Planet; membership: PlanetUser } | PlanetRefusal;

/** `changed` is false when nothing changed (an idempotent repeat). */
export type PlanetJoinOutcome = { kind: 'joined'; membership: PlanetUser; changed: boolean } | PlanetRefusal;

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

  /**
   * Creates a planet in the travel with the creator as its ACTIVE ADMIN. The creator's ACTIVE travel
   * membership is checked under its row lock (see lockTravelMembership), so a concurrent leave of
   * the travel cannot slip in between the check and the insert.
   */
  static async createWithCreator(travelId: number, userId: number, name: string): Promise<PlanetCreateOutcome> {
    return Planet.transaction(async (m): Promise<PlanetCreateOutcome> => {
      const refused = await Planet.lockTravelMembership(m, travelId, userId);
      if (refused) return refused;
      const planet = await m.save(m.create(Planet, { travelId, name, createdById: userId }));
      const membership = await PlanetUser.activate(m, planet.id, userId, null, PlanetRole.ADMIN);
      return { kind: 'created', planet, membership };
    });
  }

  /**
   * The planet with what `userId` is to it, in one query; null when the planet or its travel does
   * not exist or is deleted.
   */
  static async findAccess(planetId: number, userId: number): Promise<PlanetAccess | null> {
    const row = await Planet.createQueryBuilder('p')
      .innerJoinAndSelect('p.travel', 't', 't.deletedAt IS NULL')
      .leftJoinAndSelect('t.travelUsers', 'tu', `tu.userId = :userId AND ${TravelUser.liveSql('tu')}`)
      .leftJoinAndSelect('p.planetUsers', 'pu', `pu.userId = :userId AND ${PlanetUser.liveSql('pu')}`)
      .where('p.id = :planetId', { planetId })
      .setParameters({ userId })
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
      .addSelect(`(SELECT count(*) FROM planet_user c WHERE c.planet_id = p.id AND ${PlanetUser.liveSql('c')})::int`, 'member_count')
      .addSelect(
        `EXISTS (SELECT 1 FROM planet_user c WHERE c.planet_id = p.id AND c.user_id = :userId AND ${PlanetUser.liveSql('c')})`,
        'is_member',
      )
      .where('p.travelId = :travelId', { travelId, userId })
      .orderBy('p.id', 'ASC')
      .getRawAndEntities<{ member_count: number; is_member: boolean }>();
    return entities.map((planet, i) => ({ planet, memberCount: raw[i].member_count, isMember: raw[i].is_member }));
  }

  /** Planets where the user is an ACTIVE member (planet and travel not deleted), with the travel title and the user's role. */
  static async findMine(userId: number): Promise<MyPlanet[]> {
    const { entities, raw } = await Planet.createQueryBuilder('p')
      .innerJoin('p.planetUsers', 'pu', `pu.userId = :userId AND ${PlanetUser.liveSql('pu')}`, { userId })
      .innerJoin('p.travel', 't', 't.deletedAt IS NULL')
      .addSelect('t.title', 'travel_title')
      .addSelect('pu.role', 'my_role')
      .orderBy('p.id', 'DESC')
      .getRawAndEntities<{ travel_title: string; my_role: PlanetRole }>();
    return entities.map((planet, i) => ({ planet, travelTitle: raw[i].travel_title, role: raw[i].my_role }));
  }

  /**
   * Joins the planet (ACTIVE travel members only, checked under the travel membership's row lock);
   * repeating is harmless; a member who left is reactivated and starts with nothing unread.
   */
  static async join(planetId: number, userId: number): Promise<PlanetJoinOutcome> {
    return Planet.transaction(async (m): Promise<PlanetJoinOutcome> => {
      const planet = await m.findOne(Planet, { where: { id: planetId } });
      if (!planet) return { kind: 'not-found' };
      const refused = await Planet.lockTravelMembership(m, planet.travelId, userId);
      if (refused) return refused;
      const existing = await m.findOne(PlanetUser, { where: { planetId, userId } });
      if (existing?.isActive()) return { kind: 'joined', membership: existing, changed: false };
      if (existing?.status === MembershipStatus.BANNED) return { kind: 'banned' };
      await MessageReadReceipt.catchUp(m, planetId, userId);
      return { kind: 'joined', membership: await PlanetUser.activate(m, planetId, userId, existing, PlanetRole.MEMBER), changed: true };
    });
  }

  /** Ends the user's ACTIVE membership; `false` when there was none; null when the planet does not exist or is deleted. */
  static async leave(planetId: number, userId: number): Promise<boolean | null> {
    return Planet.transaction(async (m) => {
      const planet = await m.findOne(Planet, { where: { id: planetId } });
      if (!planet) return null;
      return PlanetUser.endOne(m, planetId, userId);
    });
  }

  /**
   * Locks the user's ACTIVE travel membership row until commit, so that leaving the travel (which
   * updates that row, then ends planet memberships) and planet joins/creations never interleave.
   */
  private static async lockTravelMembership(m: EntityManager, travelId: number, userId: number): Promise<PlanetRefusal | null> {
    if (await TravelUser.findActive(travelId, userId, m, true)) return null;
    // Not (or no longer) a member: a PRIVATE travel stays hidden, as if it did not exist.
    const [travel] = await m.query<{ visibility: TravelVisibility }[]>(
      'SELECT visibility FROM travel WHERE id = $1 AND deleted_at IS NULL',
      [travelId],
    );
    return travel?.visibility === TravelVisibility.PUBLIC ? { kind: 'not-travel-member' } : { kind: 'not-found' };
  }
}
