import type { EntityManager } from 'typeorm';
import { messageColumns, MessageRecord, MessageRow, rowToMessage, SenderRef, senderOf } from './message-row';

export interface ChangePage {
  /** Changed messages (tombstones included), each once, in its latest state, by change_seq. */
  data: { message: MessageRecord; sender: SenderRef | null }[];
  /** The change_seq of the last item, or `since` when there is none: pass it as the next `since`. */
  nextCursor: string;
  hasMore: boolean;
}

/**
 * The planet's change feed after `since`, in ONE statement on (planet_id, change_seq).
 *
 * No gaps without a horizon: the change_seq trigger serialises the values of one planet with a
 * transaction-scoped lock (migration AddMessageChangeSeq), so every value of this planet below the
 * largest one this snapshot sees is already committed and visible in it. A later edit or delete
 * gives the message a new, larger change_seq: it leaves its old place and shows up again after the
 * cursor, so a page boundary never drops or repeats one change.
 */
export async function findChanges(manager: EntityManager, planetId: number, since: string, limit: number): Promise<ChangePage> {
  const rows = await manager.query<MessageRow[]>(
    `SELECT ${messageColumns('m')}, pr.nickname AS sender_nickname
     FROM message m LEFT JOIN profile pr ON pr.user_id = m.sender_id
     WHERE m.planet_id = $1 AND m.change_seq > $2::bigint
     ORDER BY m.change_seq
     LIMIT $3`,
    [planetId, since, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    data: page.map((row) => ({ message: rowToMessage(row), sender: senderOf(row) })),
    nextCursor: page.length ? String(page[page.length - 1].change_seq) : since,
    hasMore: rows.length > limit,
  };
}
