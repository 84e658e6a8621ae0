import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, DownloadOptions, StorageDriver, StoredObject, UploadTarget } from './storage-driver';

/** Route (under the API prefix) that serves the local driver's signed URLs. */
export const LOCAL_STORAGE_ROUTE = 'storage';

export type SignedOp = 'put' | 'get';

/** The signed part of a local URL: what the request may do, until when. */
export interface SignedParams {
  op: SignedOp;
  key: string;
  /** Expiry, unix seconds. */
  exp: number;
  /** Content type: the one a PUT must send, or the one a GET answers with. */
  ct: string;
  /** PUT: the exact byte length. GET: empty. */
  len: string;
  /** GET: the file name offered for download. */
  fn: string;
}

export type Verdict = { ok: true; params: SignedParams } | { ok: false; status: 403; reason: string };

/**
 * Files under a data folder; upload and download URLs point at the app itself
 * (LocalStorageController) and are signed with an HMAC over what they allow and their expiry,
 * like a presigned S3 URL. Keys map to paths below the root and are checked (assertSafeKey).
 */
export class LocalStorageDriver implements StorageDriver {
  readonly name = 'local' as const;
  readonly root: string;

  constructor(
    root: string,
    private readonly secret: string,
    /** Absolute base URL of the app as clients reach it, resolved at call time (the port is known only after listen). */
    private readonly baseUrl: () => string,
    private readonly apiPrefix = 'api/v1',
  ) {
    this.root = resolve(root);
  }

  pathOf(key: string): string {
    assertSafeKey(key);
    return join(this.root, key);
  }

  tmpPath(): string {
    return join(this.root, '.tmp', `${Date.now()}-${randomBytes(8).toString('hex')}`);
  }

  async presignUpload(key: string, opts: { contentType: string; size: number; expiresInSeconds: number }): Promise<UploadTarget> {
    const exp = Math.floor(Date.now() / 1000) + opts.expiresInSeconds;
    const url = this.signedUrl({ op: 'put', key, exp, ct: opts.contentType, len: String(opts.size), fn: '' });
    return { method: 'PUT', url, headers: { 'Content-Type': opts.contentType }, expiresAt: new Date(exp * 1000) };
  }

  async presignDownload(key: string, opts: DownloadOptions): Promise<string> {
    const exp = Math.floor(Date.now() / 1000) + opts.expiresInSeconds;
    return this.signedUrl({ op: 'get', key, exp, ct: opts.contentType ?? 'application/octet-stream', len: '', fn: opts.fileName ?? '' });
  }

  private signedUrl(p: SignedParams): string {
    assertSafeKey(p.key);
    const q = new URLSearchParams({ op: p.op, exp: String(p.exp), ct: p.ct });
    if (p.len) q.set('len', p.len);
    if (p.fn) q.set('fn', p.fn);
    q.set('sig', this.sign(p));
    return `${this.baseUrl().replace(/\/$/, '')}/${this.apiPrefix}/${LOCAL_STORAGE_ROUTE}/${p.key}?${q.toString()}`;
  }

  private sign(p: SignedParams): string {
    return createHmac('sha256', this.secret).update([p.op, p.key, p.exp, p.ct, p.len, p.fn].join('\n')).digest('base64url');
  }

  /** Checks a request's signature (constant time) and expiry for `op` on `key`. */
  verify(op: SignedOp, key: string, query: Record<string, unknown>): Verdict {
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const exp = Number(str(query.exp));
    const params: SignedParams = { op, key, exp, ct: str(query.ct), len: str(query.len), fn: str(query.fn) };
    const given = Buffer.from(str(query.sig));
    const want = Buffer.from(this.sign(params));
    if (str(query.op) !== op || given.length !== want.length || !timingSafeEqual(given, want)) {
      return { ok: false, status: 403, reason: 'The signature of this URL does not match' };
    }
    if (!Number.isInteger(exp) || exp * 1000 < Date.now())
      return { ok: false, status: 403, reason: 'This URL has expired; ask for a new one' };
    return { ok: true, params };
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async readHead(key: string, length: number): Promise<Buffer> {
    const fh = await open(this.pathOf(key), 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async read(key: string, maxBytes: number): Promise<Buffer> {
    const found = await this.head(key);
    if (!found) throw new Error('the stored file is missing');
    if (found.size > maxBytes) throw new Error(`the stored file has ${found.size} bytes, more than ${maxBytes}`);
    return readFile(this.pathOf(key));
  }

  async readStream(key: string): Promise<Readable> {
    if (!(await this.head(key))) throw new Error('the stored file is missing');
    return createReadStream(this.pathOf(key));
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    const tmp = this.tmpPath();
    await mkdir(dirname(tmp), { recursive: true });
    await writeFile(tmp, body);
    await mkdir(dirname(path), { recursive: true });
    await rename(tmp, path);
  }

  /**
   * Writes a request body to `key` through a temporary file: the object appears whole (rename) or
   * not at all. More or fewer bytes than `expected` is refused and leaves nothing behind.
   */
  async writeUpload(key: string, body: Readable, expected: number): Promise<'written' | 'too-long' | 'too-short'> {
    const path = this.pathOf(key);
    const tmp = this.tmpPath();
    await mkdir(dirname(tmp), { recursive: true });
    let received = 0;
    let tooLong = false;
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > expected && !tooLong) {
        tooLong = true;
        body.destroy(new Error('too-long'));
      }
    });
    try {
      await pipeline(body, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      if (tooLong) return 'too-long';
      throw err;
    }
    if (received !== expected) {
      await rm(tmp, { force: true });
      return 'too-short';
    }
    await mkdir(dirname(path), { recursive: true });
    await rename(tmp, path);
    return 'written';
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
