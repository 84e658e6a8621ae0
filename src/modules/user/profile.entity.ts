import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import { AppException } from '../../common/errors/app.exception';
import { MediaKind } from '../media/media.enums';
import { Media as MediaEntity } from '../media/media.entity';
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
  avatarMedia?: MediaEntity | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * Applies a partial profile change for `userId`. An avatar must be an image the user owns
   * (else 400 on `avatarMediaId`); `null` clears it.
   */
  static async updateFor(userId: number, patch: { nickname?: string; bio?: string | null; avatarMediaId?: number | null }): Promise<void> {
    if (patch.avatarMediaId != null && !(await MediaEntity.findReadyImage(patch.avatarMediaId, userId))) {
      const media = await MediaEntity.findOne({ where: { id: patch.avatarMediaId, ownerId: userId } });
      if (!media || media.kind !== MediaKind.IMAGE) throw AppException.badRequest('avatarMediaId', 'must be an image you uploaded');
      throw AppException.badRequest('avatarMediaId', `must be a READY image; this one is ${media.status}`);
    }
    const changes: Partial<Profile> = {};
    if (patch.nickname !== undefined) changes.nickname = patch.nickname;
    if (patch.bio !== undefined) changes.bio = patch.bio;
    if (patch.avatarMediaId !== undefined) changes.avatarMediaId = patch.avatarMediaId;
    if (Object.keys(changes).length > 0) await this.update({ userId }, changes);
  }
}
