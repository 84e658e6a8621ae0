import type { Message } from '../message.entity';
import type { MessageAttachment, MessageType } from '../message.enums';

/** A message as the query modules return it: the entity's columns as plain data (no instance, no relations). */
export type MessageRecord = Pick<
  Message,
  | 'id'
  | 'planetId'
  | 'senderId'
  | 'type'
  | 'content'
  | 'searchableText'
  | 'replyToMessageId'
  | 'attachments'
  | 'clientId'
  | 'createdAt'
  | 'editedAt'
  | 'deletedAt'
  | 'changeSeq'
>;

/** A `message` row as PostgreSQL returns it from raw SQL, plus the sender's nickname. */
export interface MessageRow {
  id: string;
  planet_id: number;
  sender_id: number | null;
  type: MessageType;
  content: string | null;
  searchable_text: string;
  reply_to_message_id: string | null;
  attachments: MessageAttachment[];
  client_id: string | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  change_seq: string;
  sender_nickname?: string | null;
}

/** The columns of a `message` row, qualified by `alias`, for raw selects that map back with rowToMessage. */
export const messageColumns = (alias: string): string =>
  [
    'id',
    'planet_id',
    'sender_id',
    'type',
    'content',
    'searchable_text',
    'reply_to_message_id',
    'attachments',
    'client_id',
    'created_at',
    'edited_at',
    'deleted_at',
    'change_seq',
  ]
    .map((c) => `${alias}.${c}`)
    .join(', ');

export function rowToMessage(row: MessageRow): MessageRecord {
  return {
    id: String(row.id),
    planetId: row.planet_id,
    senderId: row.sender_id,
    type: row.type,
    content: row.content,
    searchableText: row.searchable_text,
    replyToMessageId: row.reply_to_message_id == null ? null : String(row.reply_to_message_id),
    attachments: row.attachments,
    clientId: row.client_id,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    changeSeq: String(row.change_seq),
  };
}

export interface SenderRef {
  id: number;
  nickname: string;
}

export const senderOf = (row: MessageRow): SenderRef | null =>
  row.sender_id == null ? null : { id: row.sender_id, nickname: row.sender_nickname ?? '' };
