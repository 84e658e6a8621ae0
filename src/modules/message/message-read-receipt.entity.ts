import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { Planet } from '../planet/planet.entity';
import type { User } from '../user/user.entity';

/** Read state as a watermark: one row per member per planet; everything up to lastReadMessageId is read. */
@Entity('message_read_receipt')
@Index('IDX_read_receipt_planet_last_read', ['planetId', 'lastReadMessageId'])
export class MessageReadReceipt extends BaseActiveRecord {
  @PrimaryColumn({ type: 'int' })
  planetId!: number;

  @PrimaryColumn({ type: 'int' })
  userId!: number;

  @ManyToOne('Planet', { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'planet_id' })
  planet?: Planet;

  @ManyToOne('User', { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'bigint' })
  lastReadMessageId!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  readAt!: Date;
}
