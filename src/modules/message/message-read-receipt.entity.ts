import { Column, Entity, EntityManager, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import { PlanetUser } from '../planet/planet-user.entity';
import type { Planet } from '../planet/planet.entity';
import type { User } from '../user/user.entity';

/** One read event: `userId` has read `planetId` up to `messageId`. */
export interface ReadMark {
  planetId: number;
  userId: number;
  messageId: bigint;
}

/** A watermark that moved. */
export interface MovedWatermark {
  planetId: number;
  userId: number;
  lastReadMessageId: string;
}

/**
 * Read state as a watermark: one row per member per planet; everything up to lastReadMessageId is
 * read. This entity owns the table: every write to it is one of the statics below.
 */
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

  /**
   * Moves a batch of watermarks forward in ONE statement: only for ACTIVE members of live planets,
   * only to a message of that planet, never backwards. Returns the watermarks that moved. Rows are
   * locked in one order (planet, user) on every node, so two concurrent batches cannot deadlock.
   */
  static async advance(batch: ReadMark[], manager?: EntityManager): Promise<MovedWatermark[]> {
    if (batch.length === 0) return [];
    const rows = await this.managerOf(manager).query<{ planet_id: number; user_id: number; last_read_message_id: string }[]>(
      `INSERT INTO message_read_receipt AS r (planet_id, user_id, last_read_message_id, read_at)
       SELECT b.planet_id, b.user_id, b.message_id, now()
       FROM unnest($1::int[], $2::int[], $3::bigint[]) AS b(planet_id, user_id, message_id)
       JOIN message m ON m.id = b.message_id AND m.planet_id = b.planet_id
       JOIN planet_user pu ON pu.planet_id = b.planet_id AND pu.user_id = b.user_id AND ${PlanetUser.liveSql('pu')}
       ORDER BY b.planet_id, b.user_id
       ON CONFLICT (planet_id, user_id) DO UPDATE
         SET last_read_message_id = EXCLUDED.last_read_message_id, read_at = EXCLUDED.read_at
         WHERE r.last_read_message_id < EXCLUDED.last_read_message_id
       RETURNING r.planet_id, r.user_id, r.last_read_message_id`,
      [batch.map((b) => b.planetId), batch.map((b) => b.userId), batch.map((b) => b.messageId.toString())],
    );
    return rows.map((r) => ({ planetId: r.planet_id, userId: r.user_id, lastReadMessageId: String(r.last_read_message_id) }));
  }

  /**
   * A member (re)joining starts with nothing unread: their watermark moves to the planet's newest
   * message (forward only). History stays readable; it just is not counted as unread, and the
   * unread count stays a short index range scan instead of a count of the whole history.
   */
  static async catchUp(manager: EntityManager, planetId: number, userId: number): Promise<void> {
    await manager.query(
      `INSERT INTO message_read_receipt (planet_id, user_id, last_read_message_id)
       SELECT $1, $2, max(id) FROM message WHERE planet_id = $1 HAVING max(id) IS NOT NULL
       ON CONFLICT (planet_id, user_id) DO UPDATE
         SET last_read_message_id = GREATEST(message_read_receipt.last_read_message_id, EXCLUDED.last_read_message_id), read_at = now()`,
      [planetId, userId],
    );
  }
}
