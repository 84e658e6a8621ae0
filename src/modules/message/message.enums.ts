import type { MediaStatus } from '../media/media.enums';

export enum MessageType {
  TEXT = 'TEXT',
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  FILE = 'FILE',
  SYSTEM = 'SYSTEM',
}

/** What a message carries about each attached media item (denormalised for lists and search). */
export interface MessageAttachment {
  mediaId: number;
  kind: 'image' | 'video' | 'file';
  fileName: string;
  mimeType: string;
  /** Filled in when the message is served: the media's state now, and short-lived signed URLs once READY. */
  status?: MediaStatus;
  urls?: { full?: string; preview?: string; thumbnail?: string; hls?: string };
}

export const MESSAGE_CONTENT_MAX = 4000;
