import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { Media } from '../media/media.entity';
import type { User } from './user.entity';

@Entity('profile')
export class Profile extends BaseActiveRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @OneToOne('User', (user: User) => user.profile, { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 50 })
  nickname!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  bio!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'ko' })
  locale!: string;

  @Column({ type: 'int', nullable: true })
  avatarMediaId!: number | null;

  @ManyToOne('Media', { eager: false, onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'avatar_media_id' })
  avatarMedia?: Media | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
