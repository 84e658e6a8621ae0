import type { Readable } from 'node:stream';

/** How a client sends the bytes of one upload: an HTTP request it makes itself, straight to storage. */
export interface UploadTarget {
  method: 'PUT';
  url: string;
  /** Headers the client must send with the request (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface StoredObject {
  size: number;
}

export interface DownloadOptions {
  expiresInSeconds: number;
  contentType?: string;
  /** Offered as the download's file name (Content-Disposition). */
  fileName?: string;
}

/**
 * One interface over the places media bytes live (local folder, R2 / S3). Keys are chosen by the
 * server, never by clients: `media/<ownerId>/<uuid>/<name>`.
 */
export interface StorageDriver {
  readonly name: 'local' | 's3';
  /** A signed, short-lived PUT for exactly one key, content type and length. */
  presignUpload(key: string, opts: { contentType: string; size: number; expiresInSeconds: number }): Promise<UploadTarget>;
  /** A signed, short-lived GET URL. */
  presignDownload(key: string, opts: DownloadOptions): Promise<string>;
  /** Size of the stored object, or null when there is none. */
  head(key: string): Promise<StoredObject | null>;
  /** Up to `length` bytes from the start of the object (fewer when it is shorter). */
  readHead(key: string, length: number): Promise<Buffer>;
  /** The whole object, refused past `maxBytes` (objects we process are size-checked already). */
  read(key: string, maxBytes: number): Promise<Buffer>;
  readStream(key: string): Promise<Readable>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');

/** A key under the owner's prefix. */
export function mediaKey(ownerId: number, uploadId: string, name: string): string {
  return `media/${ownerId}/${uploadId}/${name}`;
}

/** Keys are server-made; this refuses anything that could leave the storage root. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$/.test(key) || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`unsafe storage key ${JSON.stringify(key)}`);
  }
}
