import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { User } from '../user/user.entity';
import { MediaKind, MediaProvider, MediaStatus } from './media.enums';

@Entity('media')
@Index('IDX_media_owner', ['ownerId', 'createdAt'])
export class Media extends BaseActiveRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  ownerId!: number;

  @ManyToOne('User', { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'enum', enum: MediaKind, enumName: 'media_kind' })
  kind!: MediaKind;

  @Column({ type: 'enum', enum: MediaProvider, enumName: 'media_provider', default: MediaProvider.LOCAL })
  provider!: MediaProvider;

  @Column({ type: 'varchar', length: 512 })
  storageKey!: string;

  @Column({ type: 'enum', enum: MediaStatus, enumName: 'media_status', default: MediaStatus.PENDING })
  status!: MediaStatus;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'varchar', length: 127 })
  mimeType!: string;

  @Column({ type: 'bigint' })
  size!: string;

  @Column({ type: 'int', nullable: true })
  width!: number | null;

  @Column({ type: 'int', nullable: true })
  height!: number | null;

  @Column({ type: 'double precision', nullable: true })
  durationSeconds!: number | null;

  /** Named variants (thumbnail, preview, full) → URL or storage key. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  variants!: Record<string, string>;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  playbackUrl!: string | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  thumbnailUrl!: string | null;

  /** Provider-side id (Cloudflare image id or Stream uid). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  externalId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
