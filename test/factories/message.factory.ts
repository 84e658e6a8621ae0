import { Message } from '../../src/modules/message/message.entity';
import type { MessageRecord } from '../../src/modules/message/queries/message-row';
import { MessageAttachment, MessageType } from '../../src/modules/message/message.enums';
import { idOf, UserRef } from './ref';

export interface MessageOverrides {
  replyTo?: { id: string };
  attachments?: MessageAttachment[];
  clientId?: string;
}

/**
 * A message from `sender` (an ACTIVE member of `planet`) through the same one-statement insert the
 * app uses (membership and reply checks, searchable text, search vector by trigger). Throws when
 * the app would refuse it, so a test never builds on a message that could not exist.
 */
export async function createMessage(
  planet: { id: number },
  sender: UserRef,
  content: string | null,
  overrides: MessageOverrides = {},
): Promise<MessageRecord> {
  const outcome = await Message.insertForMember({
    planetId: planet.id,
    senderId: idOf(sender),
    type: overrides.attachments?.length ? MessageType.FILE : MessageType.TEXT,
    content,
    replyToMessageId: overrides.replyTo?.id ?? null,
    attachments: overrides.attachments ?? [],
    clientId: overrides.clientId ?? null,
  });
  if (outcome.kind !== 'created' && outcome.kind !== 'duplicate') throw new Error(`createMessage refused: ${outcome.kind}`);
  return outcome.message;
}

/** `count` messages `prefix 1` … `prefix N`, oldest first. */
export async function createMessages(planet: { id: number }, sender: UserRef, count: number, prefix = '메시지'): Promise<MessageRecord[]> {
  const out: MessageRecord[] = [];
  for (let i = 1; i <= count; i++) out.push(await createMessage(planet, sender, `${prefix} ${i}`));
  return out;
}
