import {
  Column,
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
import type { Travel } from '../travel/travel.entity';
import type { PlanetUser } from './planet-user.entity';

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
}
