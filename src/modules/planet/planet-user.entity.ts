import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import { MembershipStatus } from '../travel/travel.enums';
import type { User } from '../user/user.entity';
import { PlanetRole } from './planet.enums';
import type { Planet } from './planet.entity';

@Entity('planet_user')
@Unique('UQ_planet_user_planet_user', ['planetId', 'userId'])
@Index('IDX_planet_user_user_status', ['userId', 'status'])
export class PlanetUser extends BaseActiveRecord {
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

  /** Ids of the planets where the user is an ACTIVE member (the permission filter of lists and search). */
  static async activePlanetIds(userId: number): Promise<number[]> {
    const rows = await this.createQueryBuilder('pu')
      .select('pu.planetId', 'planetId')
      .innerJoin('pu.planet', 'p', 'p.deletedAt IS NULL')
      .where('pu.userId = :userId AND pu.status = :status', { userId, status: MembershipStatus.ACTIVE })
      .getRawMany<{ planetId: number }>();
    return rows.map((r) => r.planetId);
  }

  /** ACTIVE member of a planet that is not deleted. */
  static isActiveMember(planetId: number, userId: number): Promise<boolean> {
    return this.createQueryBuilder('pu')
      .innerJoin('pu.planet', 'p', 'p.deletedAt IS NULL')
      .where('pu.planetId = :planetId AND pu.userId = :userId AND pu.status = :status', { planetId, userId, status: MembershipStatus.ACTIVE })
      .getExists();
  }
}
