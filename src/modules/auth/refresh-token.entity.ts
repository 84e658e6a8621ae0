import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
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

  /** When this token was spent by a rotation (not by a logout or a family revocation). */
  @Column({ type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  /** The token that rotation issued. */
  @Column({ type: 'uuid', nullable: true })
  successorId!: string | null;

  /** The pair that rotation answered, AES-256-GCM under a key derived from this token's secret. */
  @Column({ type: 'text', nullable: true, select: false })
  successorSealed!: string | null;

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
   * Consumes a presented token and issues its successor pair, atomically. A token that is unknown,
   * expired or malformed gives null. A token already rotated within `graceSeconds` (a second tab,
   * a retry) gives the same pair again, unsealed with a key only the presented token yields; any
   * other reuse of a spent token (a replayed stolen token) revokes its whole family and gives null.
   */
  static async rotate(
    presented: string,
    opts: { pepper: string; ttlSeconds: number; graceSeconds: number; accessTokenFor: (userId: number) => Promise<string> },
  ): Promise<{ userId: number; refreshToken: string; accessToken: string } | null> {
    const m = PRESENTED_TOKEN.exec(presented);
    if (!m) return null;
    const [, id, secret] = m;
    const row = await this.findOne({ where: { id } });
    if (!row) return null;
    const expected = Buffer.from(row.tokenHash, 'hex');
    const actual = Buffer.from(this.hashSecret(secret, opts.pepper), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    if (!row.revokedAt && row.expiresAt.getTime() <= Date.now()) return null;
    const sealKey = createHmac('sha256', opts.pepper).update(`successor:${secret}`).digest();
    return this.transaction(async (manager) => {
      // Only one concurrent use of the same token wins this update; the others wait for its commit.
      const res = await manager.update(RefreshToken, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (res.affected) {
        const refreshToken = await this.issue(row.userId, { ...opts, familyId: row.familyId, manager });
        const accessToken = await opts.accessTokenFor(row.userId);
        await manager.update(
          RefreshToken,
          { id },
          { rotatedAt: new Date(), successorId: refreshToken.slice(0, 36), successorSealed: seal(sealKey, { refreshToken, accessToken }) },
        );
        return { userId: row.userId, refreshToken, accessToken };
      }
      const spent = await manager.findOne(RefreshToken, {
        where: { id },
        select: { id: true, rotatedAt: true, successorId: true, successorSealed: true },
      });
      const repeat = spent?.rotatedAt && spent.successorSealed && Date.now() - spent.rotatedAt.getTime() <= opts.graceSeconds * 1000;
      if (repeat) {
        const successor = await manager.findOne(RefreshToken, { where: { id: spent.successorId as string } });
        const pair = successor && !successor.revokedAt ? unseal(sealKey, spent.successorSealed as string) : undefined;
        if (pair) return { userId: row.userId, ...pair };
      }
      await manager.update(RefreshToken, { familyId: row.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
      return null;
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
    if (row && timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(this.hashSecret(m[2], pepper), 'hex')))
      await this.revokeFamily(row.familyId);
  }
}

interface SealedPair {
  refreshToken: string;
  accessToken: string;
}

function seal(key: Buffer, pair: SealedPair): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(pair), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

function unseal(key: Buffer, sealed: string): SealedPair | undefined {
  try {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as SealedPair;
  } catch {
    return undefined;
  }
}
