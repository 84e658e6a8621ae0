import type { EntityManager } from 'typeorm';
import { updateReturning } from '../../../common/database/update-returning';
import type { Message } from '../message.entity';
import { MessageAttachment, MessageType } from '../message.enums';
import { searchableTextOf } from '../searchable-text';
import { PlanetUser } from '../../planet/planet-user.entity';
import { messageColumns, MessageRecord, MessageRow, rowToMessage, SenderRef, senderOf } from './message-row';

export interface NewMessage {
  planetId: number;
  senderId: number;
  type: MessageType;
  content: string | null;
  replyToMessageId: string | null;
  attachments: MessageAttachment[];
  clientId: string | null;
}

export type InsertOutcome =
  | { kind: 'created'; message: MessageRecord; sender: SenderRef | null }
  | { kind: 'duplicate'; message: MessageRecord; sender: SenderRef | null }
  | { kind: 'not-member' }
  | { kind: 'bad-reply' }
  | { kind: 'client-id-taken' };

/**
 * Inserts a message only if the sender is an ACTIVE member of a live planet and the reply target
 * is in the same planet — checked and written in ONE statement (the hot path of `message:send`).
 * A resend with the same clientId returns the first message instead of inserting a second one.
 * Only when nothing was inserted does a second query find out why.
 */
export async function insertForMember(manager: EntityManager, m: NewMessage): Promise<InsertOutcome> {
  const rows = await manager.query<MessageRow[]>(
    `WITH ins AS (
       INSERT INTO message (planet_id, sender_id, type, content, searchable_text, reply_to_message_id, attachments, client_id)
       SELECT $1, $2, $3::message_type, $4, $5, $6::bigint, $7::jsonb, $8
       WHERE EXISTS (SELECT 1 FROM planet_user pu WHERE pu.planet_id = $1 AND pu.user_id = $2 AND ${PlanetUser.liveSql('pu')})
         AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM message t WHERE t.id = $6::bigint AND t.planet_id = $1))
       ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
       RETURNING ${messageColumns('message')}
     )
     SELECT ins.*, pr.nickname AS sender_nickname FROM ins LEFT JOIN profile pr ON pr.user_id = ins.sender_id`,
    [
      m.planetId,
      m.senderId,
      m.type,
      m.content,
      searchableTextOf(m.content, m.attachments),
      m.replyToMessageId,
      JSON.stringify(m.attachments),
      m.clientId,
    ],
  );
  if (rows[0]) return { kind: 'created', message: rowToMessage(rows[0]), sender: senderOf(rows[0]) };
  return diagnose(manager, m);
}

async function diagnose(manager: EntityManager, m: NewMessage): Promise<InsertOutcome> {
  const [why] = await manager.query<{ member: boolean; reply_ok: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM planet_user pu WHERE pu.planet_id = $1 AND pu.user_id = $2 AND ${PlanetUser.liveSql('pu')}) AS member,
       ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM message t WHERE t.id = $3::bigint AND t.planet_id = $1)) AS reply_ok`,
    [m.planetId, m.senderId, m.replyToMessageId],
  );
  if (!why?.member) return { kind: 'not-member' };
  if (!why.reply_ok) return { kind: 'bad-reply' };
  if (m.clientId) {
    const existing = await manager.query<MessageRow[]>(
      `SELECT ${messageColumns('m')}, pr.nickname AS sender_nickname
       FROM message m LEFT JOIN profile pr ON pr.user_id = m.sender_id
       WHERE m.sender_id = $1 AND m.client_id = $2`,
      [m.senderId, m.clientId],
    );
    const row = existing[0];
    if (row && row.planet_id === m.planetId) return { kind: 'duplicate', message: rowToMessage(row), sender: senderOf(row) };
    if (row) return { kind: 'client-id-taken' };
  }
  // Lost a race with a concurrent leave or delete between the two statements: same answer.
  return { kind: 'not-member' };
}

/** Soft-deletes a live message; the tombstone's change_seq when this call deleted it, null when it already was one. */
export async function softDeleteMessage(manager: EntityManager, messageId: string): Promise<string | null> {
  const rows = await updateReturning<{ change_seq: string }>(
    manager,
    'UPDATE message SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING change_seq',
    [messageId],
  );
  return rows[0] ? String(rows[0].change_seq) : null;
}

/**
 * Replaces the content of a live message of `senderId` in ONE guarded statement: a delete that
 * lands between the caller's read and this write wins (null is returned), instead of the edit
 * writing the stale `deleted_at = NULL` back and resurrecting the message.
 */
export async function editMessageContent(
  manager: EntityManager,
  message: Pick<Message, 'id' | 'attachments'>,
  senderId: number,
  content: string,
): Promise<{ message: MessageRecord; sender: SenderRef | null } | null> {
  const rows = await updateReturning<MessageRow>(
    manager,
    `UPDATE message SET content = $3, searchable_text = $4, edited_at = now()
     WHERE id = $1 AND sender_id = $2 AND deleted_at IS NULL
     RETURNING ${messageColumns('message')}, (SELECT nickname FROM profile WHERE user_id = message.sender_id) AS sender_nickname`,
    [message.id, senderId, content, searchableTextOf(content, message.attachments)],
  );
  const row = rows[0];
  return row ? { message: rowToMessage(row), sender: senderOf(row) } : null;
}

/** Whether `userId` may mark `messageId` read in `planetId`: ACTIVE member of the live planet, message of that planet. */
export async function readTarget(
  manager: EntityManager,
  planetId: number,
  userId: number,
  messageId: string,
): Promise<{ member: boolean; message: boolean }> {
  const [row] = await manager.query<{ member: boolean; message: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM planet_user pu WHERE pu.planet_id = $1 AND pu.user_id = $2 AND ${PlanetUser.liveSql('pu')}) AS member,
            EXISTS (SELECT 1 FROM message WHERE id = $3 AND planet_id = $1) AS message`,
    [planetId, userId, messageId],
  );
  return { member: !!row?.member, message: !!row?.message };
}
