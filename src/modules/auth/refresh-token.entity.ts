import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Column, CreateDateColumn, Entity, EntityManager, Index, IsNull, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { User } from '../user/user.entity';

/** `<uuid>.<43 base64url characters>`: anything else is refused before it reaches SQL. */
const PRESENTED_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

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

  /** HMAC of a token secret; the raw secret is never stored. */
  static hashSecret(secret: string, pepper: string): string {
    return createHmac('sha256', pepper).update(secret).digest('hex');
  }

  /** Issues a token in `familyId` (a new family when omitted); returns the opaque `<id>.<secret>` string. */
  static async issue(
    userId: number,
    opts: { pepper: string; ttlSeconds: number; familyId?: string; manager?: EntityManager },
  ): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const id = randomUUID();
    await this.managerOf(opts.manager).insert(RefreshToken, {
      id,
      userId,
      familyId: opts.familyId ?? randomUUID(),
      tokenHash: this.hashSecret(secret, opts.pepper),
      expiresAt: new Date(Date.now() + opts.ttlSeconds * 1000),
    });
    return `${id}.${secret}`;
  }

  /**
   * Consumes a presented token and issues its successor, atomically. A token that is unknown,
   * expired or malformed gives null; a token already used (revoked) revokes its whole family —
   * someone replayed a stolen token — and gives null.
   */
  static async rotate(presented: string, opts: { pepper: string; ttlSeconds: number }): Promise<{ userId: number; refreshToken: string } | null> {
    const m = PRESENTED_TOKEN.exec(presented);
    if (!m) return null;
    const [, id, secret] = m;
    const row = await this.findOne({ where: { id } });
    if (!row) return null;
    const expected = Buffer.from(row.tokenHash, 'hex');
    const actual = Buffer.from(this.hashSecret(secret, opts.pepper), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    if (row.revokedAt) {
      await this.revokeFamily(row.familyId);
      return null;
    }
    if (row.expiresAt.getTime() <= Date.now()) return null;
    return this.transaction(async (manager) => {
      // Only one concurrent use of the same token can win this update.
      const res = await manager.update(RefreshToken, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (!res.affected) {
        await manager.update(RefreshToken, { familyId: row.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return null;
      }
      const refreshToken = await this.issue(row.userId, { ...opts, familyId: row.familyId, manager });
      return { userId: row.userId, refreshToken };
    });
  }

  static async revokeFamily(familyId: string): Promise<void> {
    await this.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Revokes the family of a presented token (logout); unknown tokens are ignored. */
  static async revokePresented(presented: string, pepper: string): Promise<void> {
    const m = PRESENTED_TOKEN.exec(presented);
    if (!m) return;
    const row = await this.findOne({ where: { id: m[1] } });
    if (row && timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(this.hashSecret(m[2], pepper), 'hex'))) await this.revokeFamily(row.familyId);
  }
}
