import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { User } from '../user/user.entity';

/**
 * A refresh token, stored only as a hash. Tokens rotate: each use revokes the presented token and
 * issues a successor in the same family; presenting a revoked token revokes the whole family.
 */
@Entity('refresh_token')
@Index('IDX_refresh_token_family', ['familyId'])
@Index('IDX_refresh_token_user', ['userId'])
export class RefreshToken extends BaseActiveRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'int' })
  userId!: number;

  @ManyToOne('User', { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'uuid' })
  familyId!: string;

  /** HMAC-SHA256 of the token's secret part. */
  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
