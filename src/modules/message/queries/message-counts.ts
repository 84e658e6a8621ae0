import type { EntityManager } from 'typeorm';
import { PlanetUser } from '../../planet/planet-user.entity';
import { messageColumns, MessageRecord, MessageRow, rowToMessage, SenderRef, senderOf } from './message-row';

export interface FindWithCountsOptions {
  /** Messages older than this id, newest first. */
  before?: string;
  /** Messages newer than this id, oldest first (resync). Wins over `before` when both are given. */
  after?: string;
  limit?: number;
}

export interface MessageWithCounts {
  message: MessageRecord;
  sender: SenderRef | null;
  /** Other ACTIVE members whose watermark has reached the message. */
  readCount: number;
  /** ACTIVE members other than the sender who have not read it (KakaoTalk's number). */
  unreadCount: number;
  /** Replies that are not deleted. */
  replyCount: number;
}

export interface MessagePage {
  data: MessageWithCounts[];
  hasMore: boolean;
}

/**
 * One page of a planet's messages with their counts in ONE SQL statement, whatever the page size:
 * the ACTIVE members' watermarks are read once (a CTE of at most one row per member), and each
 * message of the page counts them, so the cost grows with page × members, never with a query per
 * message. Tombstones are included (the client shows "deleted message").
 */
export async function findWithCounts(manager: EntityManager, planetId: number, opts: FindWithCountsOptions = {}): Promise<MessagePage> {
  const limit = Math.max(1, Math.min(opts.limit ?? 50, 100));
  const params: unknown[] = [planetId, limit + 1];
  let cursor = '';
  let order: 'ASC' | 'DESC' = 'DESC';
  if (opts.after) {
    params.push(opts.after);
    cursor = `AND m.id > $${params.length}`;
    order = 'ASC';
  } else if (opts.before) {
    params.push(opts.before);
    cursor = `AND m.id < $${params.length}`;
  }
  const rows = await manager.query<(MessageRow & { read_count: number; others: number; reply_count: number })[]>(
    `WITH members AS MATERIALIZED (
       SELECT pu.user_id, COALESCE(r.last_read_message_id, 0) AS watermark
       FROM planet_user pu
       LEFT JOIN message_read_receipt r ON r.planet_id = pu.planet_id AND r.user_id = pu.user_id
       WHERE pu.planet_id = $1 AND ${PlanetUser.liveSql('pu')}
     ), page AS (
       SELECT ${messageColumns('m')} FROM message m
       WHERE m.planet_id = $1 ${cursor}
       ORDER BY m.id ${order}
       LIMIT $2
     )
     SELECT page.*, pr.nickname AS sender_nickname,
       (SELECT count(*) FROM members w WHERE w.watermark >= page.id AND w.user_id IS DISTINCT FROM page.sender_id)::int AS read_count,
       ((SELECT count(*) FROM members) - (SELECT count(*) FROM members w WHERE w.user_id = page.sender_id))::int AS others,
       (SELECT count(*) FROM message c WHERE c.reply_to_message_id = page.id AND c.deleted_at IS NULL)::int AS reply_count
     FROM page
     LEFT JOIN profile pr ON pr.user_id = page.sender_id
     ORDER BY page.id ${order}`,
    params,
  );
  const hasMore = rows.length > limit;
  return {
    hasMore,
    data: rows.slice(0, limit).map((row) => ({
      message: rowToMessage(row),
      sender: senderOf(row),
      readCount: row.read_count,
      unreadCount: Math.max(0, row.others - row.read_count),
      replyCount: row.reply_count,
    })),
  };
}

/** Other ACTIVE members of the message's planet whose watermark has reached it. */
export async function getReadCount(manager: EntityManager, messageId: string): Promise<number> {
  const [row] = await manager.query<{ n: number }[]>(
    `SELECT count(*)::int AS n
     FROM message m
     JOIN message_read_receipt r ON r.planet_id = m.planet_id AND r.last_read_message_id >= m.id AND r.user_id IS DISTINCT FROM m.sender_id
     JOIN planet_user pu ON pu.planet_id = r.planet_id AND pu.user_id = r.user_id AND ${PlanetUser.liveSql('pu')}
     WHERE m.id = $1`,
    [messageId],
  );
  return row?.n ?? 0;
}

/** Replies to the message that are not deleted. */
export async function getReplyCount(manager: EntityManager, messageId: string): Promise<number> {
  const [row] = await manager.query<{ n: number }[]>(
    'SELECT count(*)::int AS n FROM message WHERE reply_to_message_id = $1 AND deleted_at IS NULL',
    [messageId],
  );
  return row?.n ?? 0;
}

export interface PlanetMessageSummary {
  planetId: number;
  /** Messages after the caller's watermark, not deleted and not sent by the caller. */
  unreadCount: number;
  lastMessage: { message: MessageRecord; sender: SenderRef | null } | null;
}

/**
 * For `GET /planets`: each planet's unread count for `userId` and its last message, for all the
 * given planets in ONE statement (no query per planet). Planets keep the order of `planetIds`.
 */
export async function findPlanetSummaries(manager: EntityManager, userId: number, planetIds: number[]): Promise<PlanetMessageSummary[]> {
  if (planetIds.length === 0) return [];
  const rows = await manager.query<(Partial<MessageRow> & { p_id: number; unread_count: number })[]>(
    `SELECT p.id AS p_id,
       (SELECT count(*) FROM message u
         WHERE u.planet_id = p.id AND u.id > COALESCE(r.last_read_message_id, 0)
           AND u.deleted_at IS NULL AND u.sender_id IS DISTINCT FROM $1)::int AS unread_count,
       lm.*
     FROM unnest($2::int[]) WITH ORDINALITY AS p(id, ord)
     LEFT JOIN message_read_receipt r ON r.planet_id = p.id AND r.user_id = $1
     LEFT JOIN LATERAL (
       SELECT ${messageColumns('m')}, pr.nickname AS sender_nickname
       FROM message m LEFT JOIN profile pr ON pr.user_id = m.sender_id
       WHERE m.planet_id = p.id ORDER BY m.id DESC LIMIT 1
     ) lm ON true
     ORDER BY p.ord`,
    [userId, planetIds],
  );
  return rows.map((row) => ({
    planetId: row.p_id,
    unreadCount: row.unread_count,
    lastMessage: row.id == null ? null : { message: rowToMessage(row as MessageRow), sender: senderOf(row as MessageRow) },
  }));
}
