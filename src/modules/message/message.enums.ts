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
}

export const MESSAGE_CONTENT_MAX = 4000;
