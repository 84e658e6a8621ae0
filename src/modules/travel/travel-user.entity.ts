import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { User } from '../user/user.entity';
import { MembershipStatus, TravelRole } from './travel.enums';
import type { Travel } from './travel.entity';

@Entity('travel_user')
@Unique('UQ_travel_user_travel_user', ['travelId', 'userId'])
@Index('IDX_travel_user_user_status', ['userId', 'status'])
export class TravelUser extends BaseActiveRecord {
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
}
