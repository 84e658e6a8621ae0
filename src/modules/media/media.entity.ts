import { Column, CreateDateColumn, Entity, In, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import { updateReturning } from '../../common/database/update-returning';
import type { User } from '../user/user.entity';
import { MediaKind, MediaProvider, MediaStatus } from './media.enums';

@Entity('media')
@Index('IDX_media_owner', ['ownerId', 'createdAt'])
/** Partial (external_id IS NOT NULL), built CONCURRENTLY by migration 1796400000000: the Stream webhook finds its video by uid. */
@Index('IDX_media_external_id', { synchronize: false })
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

  /** Why processing failed, in words a person can read (status FAILED). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  failureReason!: string | null;

  /** Why Cloudflare did not process this media and local processing did instead (null when Cloudflare did, or was not configured). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  fallbackReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * Claims a PENDING upload of `ownerId` for completion in one conditional UPDATE, so two
   * concurrent completes cannot both pass: exactly one gets 'claimed'.
   */
  static async claimCompletion(
    id: number,
    ownerId: number,
  ): Promise<{ kind: 'claimed'; media: Media } | { kind: 'not-found' } | { kind: 'already'; status: MediaStatus }> {
    const result = await this.update({ id, ownerId, status: MediaStatus.PENDING }, { status: MediaStatus.UPLOADED });
    const media = await this.findOneBy({ id, ownerId });
    if (!media) return { kind: 'not-found' };
    if (result.affected === 1) return { kind: 'claimed', media };
    return { kind: 'already', status: media.status };
  }

  /** Gives a claimed upload back (its bytes were not there yet): the client may PUT and complete again. */
  static async releaseClaim(id: number): Promise<void> {
    await this.update({ id, status: MediaStatus.UPLOADED }, { status: MediaStatus.PENDING });
  }

  /** Marks a media FAILED with a readable reason, unless it already ended READY. */
  static async markFailed(id: number, reason: string): Promise<boolean> {
    const result = await this.update(
      { id, status: In([MediaStatus.PENDING, MediaStatus.UPLOADED, MediaStatus.PROCESSING]) },
      { status: MediaStatus.FAILED, failureReason: reason.slice(0, 500) },
    );
    return result.affected === 1;
  }

  /** UPLOADED (or PROCESSING, for a retried or recovered job) → PROCESSING; null when the media is gone or finished. */
  static async startProcessing(id: number): Promise<Media | null> {
    const result = await this.update(
      { id, status: In([MediaStatus.UPLOADED, MediaStatus.PROCESSING]) },
      { status: MediaStatus.PROCESSING },
    );
    return result.affected === 1 ? this.findOneBy({ id }) : null;
  }

  /** PROCESSING → READY with what processing found out; false when the row is no longer PROCESSING. */
  static async markReady(
    id: number,
    patch: Partial<
      Pick<
        Media,
        'width' | 'height' | 'variants' | 'provider' | 'durationSeconds' | 'playbackUrl' | 'thumbnailUrl' | 'externalId' | 'fallbackReason'
      >
    >,
  ): Promise<boolean> {
    const result = await this.update({ id, status: MediaStatus.PROCESSING }, { ...patch, status: MediaStatus.READY, failureReason: null });
    return result.affected === 1;
  }

  /** Media left UPLOADED (claimed, checked) for longer than `olderThanSeconds`: their job was lost between the claim and the queue. */
  static async findStalledUploads(olderThanSeconds: number, limit = 500): Promise<number[]> {
    const rows = await this.createQueryBuilder('m')
      .select('m.id', 'id')
      .where('m.status = :status AND m.updatedAt < now() - make_interval(secs => :secs)', {
        status: MediaStatus.UPLOADED,
        secs: olderThanSeconds,
      })
      .orderBy('m.id')
      .limit(limit)
      .getRawMany<{ id: number }>();
    return rows.map((r) => r.id);
  }

  /**
   * Ends uploads announced but never completed, once their upload URL has expired (no PUT can come
   * any more): FAILED with a reason, in one conditional UPDATE (a racing complete wins or loses
   * whole). Returns their storage keys, for the caller to delete anything a PUT left.
   */
  static async failAbandonedUploads(olderThanSeconds: number, limit = 500): Promise<{ id: number; storageKey: string }[]> {
    const rows = await updateReturning<{ id: number; storage_key: string }>(
      this.getRepository().manager,
      `UPDATE media SET status = $1, failure_reason = $2, updated_at = now()
       WHERE id IN (SELECT id FROM media WHERE status = $3 AND created_at < now() - make_interval(secs => $4) ORDER BY id LIMIT $5)
         AND status = $3
       RETURNING id, storage_key`,
      [MediaStatus.FAILED, 'the upload was not completed before its upload URL expired', MediaStatus.PENDING, olderThanSeconds, limit],
    );
    return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
  }

  /** Ids of the live planets where a live message carries this media. */
  static async postedPlanetIds(id: number): Promise<number[]> {
    const rows = await this.getRepository().manager.query<{ planet_id: number }[]>(
      `SELECT DISTINCT m.planet_id FROM message m JOIN planet p ON p.id = m.planet_id AND p.deleted_at IS NULL
       WHERE m.attachments @> $1::jsonb AND m.attachments <> '[]'::jsonb AND m.deleted_at IS NULL
       LIMIT 100`,
      [JSON.stringify([{ mediaId: id }])],
    );
    return rows.map((r) => r.planet_id);
  }

  /** The owner's media among `ids` that a message may carry: uploaded, processing or ready (not pending, not failed). */
  static findAttachable(ownerId: number, ids: number[]): Promise<Media[]> {
    return this.find({ where: { id: In(ids), ownerId, status: In([MediaStatus.UPLOADED, MediaStatus.PROCESSING, MediaStatus.READY]) } });
  }

  /** A READY image of the owner (what an avatar may be). */
  static findReadyImage(id: number, ownerId: number): Promise<Media | null> {
    return this.findOneBy({ id, ownerId, kind: MediaKind.IMAGE, status: MediaStatus.READY });
  }

  /** The media of a Stream video uid. */
  static findByStreamUid(uid: string): Promise<Media | null> {
    return this.findOneBy({ externalId: uid, provider: MediaProvider.CLOUDFLARE_STREAM });
  }

  /** Records what processing learnt so far (a Stream uid after a copy) without changing the status. */
  static async recordExternal(id: number, patch: Partial<Pick<Media, 'externalId' | 'provider'>>): Promise<void> {
    await this.update({ id }, patch);
  }

  /**
   * A Stream video ready (webhook or poll): UPLOADED or PROCESSING → READY. False when it already
   * ended (a second webhook, or the poll won).
   */
  static async markStreamReady(
    id: number,
    patch: Partial<Pick<Media, 'width' | 'height' | 'durationSeconds' | 'playbackUrl' | 'thumbnailUrl'>>,
  ): Promise<boolean> {
    const result = await this.update(
      { id, status: In([MediaStatus.UPLOADED, MediaStatus.PROCESSING]) },
      { ...patch, status: MediaStatus.READY, failureReason: null },
    );
    return result.affected === 1;
  }
}
