import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { Planet } from '../planet/planet.entity';
import type { TravelUser } from './travel-user.entity';
import { TravelVisibility } from './travel.enums';

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
}
