import type { MessageAttachment } from './message.enums';

/**
 * What search indexes: the content and attachment file names, NFKC-normalised and lower-cased,
 * with runs of whitespace collapsed. Pure (no database, no entity instance): the insert and edit
 * statements call it directly, and Message.generateSearchableText() calls it for save().
 */
export function searchableTextOf(
  content: string | null | undefined,
  attachments: Pick<MessageAttachment, 'fileName'>[] | null | undefined,
): string {
  const parts = [content ?? '', ...(attachments ?? []).map((a) => a.fileName)];
  return parts.join(' ').normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
