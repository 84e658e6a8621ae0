import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';

/**
 * A fake Cloudflare for tests, on loopback, following the documented API shapes:
 * - Images v1: `POST /accounts/:id/images/v1` (multipart, `url` or `file`) → `{ result: { id, filename, variants: [url…] } }`;
 *   variants `GET/POST /accounts/:id/images/v1/variants[/:id]`; delivery `/imagedelivery/<hash>/<id>/<variant>`
 *   (signed with `exp` + `sig` when the image requires signed URLs).
 * - Stream: direct creator upload `POST /accounts/:id/stream?direct_user=true` (Tus-Resumable 1.0.0, Upload-Length,
 *   Upload-Metadata) → 201 with `Location` and `stream-media-id`; a hand-written TUS 1.0.0 responder (HEAD, PATCH,
 *   OPTIONS) with Stream's chunk rules; `GET /accounts/:id/stream/:uid` video JSON with `status.state`;
 *   `POST /accounts/:id/stream/copy`; signed webhooks (`Webhook-Signature: time=…,sig1=…`) when a video is ready.
 * Faults: `fail(...)` makes the next matching API calls answer 429 with Retry-After, 500, or hang; `dropNextPatchAfter`
 * cuts a TUS PATCH half-way (the bytes received so far are kept, as a TUS server does).
 *
 * Why not @tus/server: its engines fit Node 20.19, but it ships as ES modules only, and this suite runs in Jest's
 * CommonJS runtime; the TUS side Stream exposes (HEAD for the offset, PATCH from it) is small enough to write here.
 */

export type Fault = { status: 429; retryAfterSeconds: number } | { status: 500 } | { status: 'hang' };

interface FaultRule {
  fault: Fault;
  times: number;
  match: (method: string, path: string) => boolean;
}

export interface FakeVideo {
  uid: string;
  size: number;
  offset: number;
  bytes: Buffer[];
  state: 'pendingupload' | 'downloading' | 'queued' | 'inprogress' | 'ready' | 'error';
  meta: Record<string, string>;
  errorReasonCode: string;
  errorReasonText: string;
}

export interface FakeImage {
  id: string;
  bytes: Buffer;
  requireSignedURLs: boolean;
  metadata: unknown;
}

export interface ApiCall {
  method: string;
  path: string;
  status: number | 'hang';
  at: number;
}

const MiB = 1024 * 1024;
const CHUNK_MIN = 5 * MiB;
const CHUNK_MULTIPLE = 256 * 1024;
const CHUNK_MAX = 200 * MiB;

export function signWebhook(secret: string, body: string, time = Math.floor(Date.now() / 1000)): string {
  return `time=${time},sig1=${createHmac('sha256', secret).update(`${time}.${body}`).digest('hex')}`;
}

export class FakeCloudflare {
  readonly accountId = 'fakeaccount0123456789';
  readonly token = `fake-token-${randomBytes(8).toString('hex')}`;
  readonly webhookSecret = randomBytes(16).toString('hex');
  readonly signingKey = randomBytes(24).toString('hex');
  readonly accountHash = 'FakeHash123';
  readonly calls: ApiCall[] = [];
  readonly tusPatches: { uid: string; offset: number; contentLength: number; received: number; dropped: boolean }[] = [];
  readonly variants = new Map<
    string,
    { id: string; options: { fit: string; width: number; height: number; metadata: string }; neverRequireSignedURLs?: boolean }
  >();
  readonly images = new Map<string, FakeImage>();
  readonly videos = new Map<string, FakeVideo>();
  readonly webhooksSent: { status: number; body: string }[] = [];
  /** Where ready/error notifications go (the app's webhook route); none when unset. */
  webhookUrl?: string;
  /** Time from a finished upload to `ready`. */
  encodeDelayMs = 200;
  /** Cut the next TUS PATCH after this many bytes of its body. */
  dropNextPatchAfter?: number;
  private readonly faults: FaultRule[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  url = '';

  get apiBase(): string {
    return `${this.url}/client/v4`;
  }

  /** The env that points the app at this fake. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      CLOUDFLARE_ACCOUNT_ID: this.accountId,
      CLOUDFLARE_API_TOKEN: this.token,
      CLOUDFLARE_API_BASE_URL: this.apiBase,
      CLOUDFLARE_STREAM_WEBHOOK_SECRET: this.webhookSecret,
      CLOUDFLARE_IMAGES_SIGNING_KEY: this.signingKey,
      CLOUDFLARE_RETRY_BASE_MS: '50',
      CLOUDFLARE_TIMEOUT_MS: '1500',
      ...extra,
    };
  }

  async start(): Promise<this> {
    this.server = createServer(
      (req, res) =>
        void this.handle(req, res).catch((err: Error) =>
          this.json(res, 500, { success: false, errors: [{ code: 10000, message: err.message }], messages: [], result: null }),
        ),
    );
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `times` API calls matching `pathPart` (any when omitted) get `fault`. */
  fail(fault: Fault, times = 1, pathPart?: string | RegExp): void {
    this.faults.push({
      fault,
      times,
      match: (_m, path) => (pathPart === undefined ? true : typeof pathPart === 'string' ? path.includes(pathPart) : pathPart.test(path)),
    });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  callsTo(part: string | RegExp, method?: string): ApiCall[] {
    return this.calls.filter(
      (c) => (method ? c.method === method : true) && (typeof part === 'string' ? c.path.includes(part) : part.test(c.path)),
    );
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  private ok(res: ServerResponse, result: unknown, status = 200, headers: Record<string, string> = {}): void {
    this.json(res, status, { success: true, errors: [], messages: [], result }, headers);
  }

  private error(res: ServerResponse, status: number, code: number, message: string): void {
    this.json(res, status, { success: false, errors: [{ code, message }], messages: [], result: null });
  }

  private async body(req: IncomingMessage): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    return Buffer.concat(parts);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/tus/')) return this.tus(req, res, url.pathname.slice(5), method);
    if (url.pathname.startsWith('/imagedelivery/')) return this.deliver(res, url);
    const m = /^\/client\/v4\/accounts\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (!m) return this.error(res, 404, 7003, 'No route for that URI');
    const path = m[2];
    const rule = this.faults.find((f) => f.times > 0 && f.match(method, path));
    if (rule) {
      rule.times--;
      this.calls.push({ method, path, status: rule.fault.status, at: Date.now() });
      if (rule.fault.status === 'hang') return; // never answers; the socket is destroyed at close()
      if (rule.fault.status === 429) {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(rule.fault.retryAfterSeconds) });
        res.end(JSON.stringify({ success: false, errors: [{ code: 10429, message: 'Rate limited' }], messages: [], result: null }));
        return;
      }
      return this.error(res, 500, 10001, 'Internal error');
    }
    const record = (status: number) => this.calls.push({ method, path, status, at: Date.now() });
    if (m[1] !== this.accountId) {
      record(403);
      return this.error(res, 403, 10000, 'Authentication error');
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      record(401);
      return this.error(res, 401, 10000, 'Authentication error');
    }
    const answer = await this.api(req, res, method, path, url);
    record(answer);
  }

  private async api(req: IncomingMessage, res: ServerResponse, method: string, path: string, url: URL): Promise<number> {
    let v: RegExpExecArray | null;
    if (path === 'images/v1/variants' && method === 'GET') {
      return (
        this.ok(res, {
          variants: Object.fromEntries([
            ['public', { id: 'public', options: { fit: 'scale-down', width: 1366, height: 768, metadata: 'none' } }],
            ...this.variants,
          ]),
        }),
        200
      );
    }
    if ((v = /^images\/v1\/variants\/([^/]+)$/.exec(path)) && method === 'GET') {
      const variant = this.variants.get(v[1]);
      if (!variant) return (this.error(res, 404, 5404, 'Variant not found'), 404);
      return (this.ok(res, { variant }), 200);
    }
    if (path === 'images/v1/variants' && method === 'POST') {
      const def = JSON.parse((await this.body(req)).toString('utf8'));
      if (!/^[A-Za-z0-9]{1,99}$/.test(def.id ?? '') || !def.options?.fit)
        return (this.error(res, 400, 5400, 'Bad variant definition'), 400);
      if (this.variants.has(def.id)) return (this.error(res, 409, 5409, 'Variant already exists'), 409);
      this.variants.set(def.id, def);
      return (this.ok(res, { variant: def }), 200);
    }
    if (path === 'images/v1' && method === 'POST') {
      const raw = await this.body(req);
      const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      const sourceUrl = form.get('url');
      const file = form.get('file');
      if ((sourceUrl && file) || (!sourceUrl && !file)) return (this.error(res, 400, 5400, 'Exactly one of file and url'), 400);
      let bytes: Buffer;
      if (typeof sourceUrl === 'string') {
        const got = await fetch(sourceUrl).catch(() => null);
        if (!got || !got.ok)
          return (this.error(res, 400, 5455, `Could not fetch the image from its URL (${got?.status ?? 'network error'})`), 400);
        bytes = Buffer.from(await got.arrayBuffer());
      } else {
        bytes = Buffer.from(await (file as Blob).arrayBuffer());
      }
      if (bytes.length > 10 * MiB) return (this.error(res, 413, 5413, 'Image too large'), 413);
      const meta = await sharp(bytes, { limitInputPixels: false })
        .metadata()
        .catch(() => null);
      if (!meta?.width || !meta.height) return (this.error(res, 415, 5415, 'Unsupported image format'), 415);
      if (meta.width * meta.height > 100_000_000 || meta.width > 12000 || meta.height > 12000)
        return (this.error(res, 415, 5415, 'Image dimensions too large'), 415);
      const id = randomUUID();
      const requireSignedURLs = form.get('requireSignedURLs') === 'true';
      this.images.set(id, {
        id,
        bytes,
        requireSignedURLs,
        metadata: JSON.parse(typeof form.get('metadata') === 'string' ? (form.get('metadata') as string) : '{}'),
      });
      const names = ['public', ...this.variants.keys()];
      return (
        this.ok(res, {
          id,
          filename: typeof sourceUrl === 'string' ? new URL(sourceUrl).pathname.split('/').pop() : (file as File).name,
          metadata: this.images.get(id)?.metadata,
          uploaded: new Date().toISOString(),
          requireSignedURLs,
          variants: names.map((n) => `${this.url}/imagedelivery/${this.accountHash}/${id}/${n}`),
        }),
        200
      );
    }
    if ((v = /^images\/v1\/([^/]+)$/.exec(path)) && method === 'DELETE') {
      const found = this.images.delete(v[1]);
      return found ? (this.ok(res, {}), 200) : (this.error(res, 404, 5404, 'Image not found'), 404);
    }
    if (path === 'stream' && method === 'POST' && url.searchParams.get('direct_user') === 'true') {
      if (req.headers['tus-resumable'] !== '1.0.0') return (this.error(res, 400, 10005, 'Tus-Resumable: 1.0.0 is required'), 400);
      const size = Number(req.headers['upload-length']);
      if (!Number.isInteger(size) || size <= 0) return (this.error(res, 400, 10005, 'Upload-Length is required'), 400);
      const meta = parseTusMetadata(String(req.headers['upload-metadata'] ?? ''));
      if (!meta.maxDurationSeconds || !(Number(meta.maxDurationSeconds) >= 1 && Number(meta.maxDurationSeconds) <= 21600)) {
        return (this.error(res, 400, 10005, 'Upload-Metadata must carry maxDurationSeconds (1-21600)'), 400);
      }
      const uid = randomBytes(16).toString('hex');
      this.videos.set(uid, { uid, size, offset: 0, bytes: [], state: 'pendingupload', meta, errorReasonCode: '', errorReasonText: '' });
      res
        .writeHead(201, {
          'Tus-Resumable': '1.0.0',
          Location: `${this.url}/tus/${uid}?tusv2=true`,
          'stream-media-id': uid,
          'Access-Control-Expose-Headers': 'Location, stream-media-id',
        })
        .end();
      return 201;
    }
    if (path === 'stream/copy' && method === 'POST') {
      const body = JSON.parse((await this.body(req)).toString('utf8'));
      if (typeof body.url !== 'string') return (this.error(res, 400, 10005, 'url is required'), 400);
      const uid = randomBytes(16).toString('hex');
      const video: FakeVideo = {
        uid,
        size: 0,
        offset: 0,
        bytes: [],
        state: 'downloading',
        meta: body.meta ?? {},
        errorReasonCode: '',
        errorReasonText: '',
      };
      this.videos.set(uid, video);
      void (async () => {
        const got = await fetch(body.url).catch(() => null);
        if (!got?.ok) return this.finish(video, Buffer.alloc(0), 'ERR_FETCH_ORIGIN', 'Could not download the video from its URL');
        const bytes = Buffer.from(await got.arrayBuffer());
        video.size = bytes.length;
        video.offset = bytes.length;
        this.finish(video, bytes);
      })();
      return (this.ok(res, this.videoJson(video)), 200);
    }
    if ((v = /^stream\/([0-9a-f]{32})$/.exec(path)) && method === 'GET') {
      const video = this.videos.get(v[1]);
      if (!video) return (this.error(res, 404, 10003, 'Video not found'), 404);
      return (this.ok(res, this.videoJson(video)), 200);
    }
    return (this.error(res, 404, 7003, `No route for ${method} ${path}`), 404);
  }

  /** The documented video object (the fields the app reads, and a few more). */
  videoJson(video: FakeVideo): Record<string, unknown> {
    const base = `${this.url}/stream/${video.uid}`;
    return {
      uid: video.uid,
      creator: null,
      thumbnail: `${base}/thumbnails/thumbnail.jpg`,
      thumbnailTimestampPct: 0,
      readyToStream: video.state === 'ready',
      status: {
        state: video.state,
        pctComplete: video.state === 'ready' ? '100.000000' : '0.000000',
        errorReasonCode: video.errorReasonCode,
        errorReasonText: video.errorReasonText,
      },
      meta: video.meta,
      created: new Date().toISOString(),
      modified: new Date().toISOString(),
      size: video.size,
      preview: `${base}/watch`,
      allowedOrigins: [],
      requireSignedURLs: false,
      uploaded: new Date().toISOString(),
      duration: video.state === 'ready' ? 12.5 : -1,
      input: video.state === 'ready' ? { width: 1280, height: 720 } : { width: -1, height: -1 },
      playback: { hls: `${base}/manifest/video.m3u8`, dash: `${base}/manifest/video.mpd` },
    };
  }

  /** Upload complete: queued, then ready (bytes that look like ISO-BMFF or WebM) or error, then the webhook. */
  private finish(video: FakeVideo, bytes: Buffer, errorCode?: string, errorText?: string): void {
    video.state = 'queued';
    setTimeout(() => {
      const looksLikeVideo =
        bytes.subarray(4, 8).toString('latin1') === 'ftyp' || bytes.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
      if (errorCode || !looksLikeVideo) {
        video.state = 'error';
        video.errorReasonCode = errorCode ?? 'ERR_NON_VIDEO';
        video.errorReasonText = errorText ?? 'The file was not recognized as a valid video file.';
      } else {
        video.state = 'ready';
      }
      void this.notify(video);
    }, this.encodeDelayMs).unref();
  }

  private async notify(video: FakeVideo): Promise<void> {
    if (!this.webhookUrl) return;
    const body = JSON.stringify(this.videoJson(video));
    const res = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Webhook-Signature': signWebhook(this.webhookSecret, body) },
      body,
    }).catch(() => null);
    this.webhooksSent.push({ status: res?.status ?? 0, body });
  }

  /** TUS 1.0.0 core: HEAD answers the offset, PATCH appends from exactly that offset; Stream's chunk rules. */
  private async tus(req: IncomingMessage, res: ServerResponse, uidAndQuery: string, method: string): Promise<void> {
    const uid = uidAndQuery.split('?')[0];
    const video = this.videos.get(uid);
    const common = { 'Tus-Resumable': '1.0.0', 'Cache-Control': 'no-store' };
    if (method === 'OPTIONS')
      return void res.writeHead(204, { ...common, 'Tus-Version': '1.0.0', 'Tus-Max-Size': String(30 * 1024 * MiB) }).end();
    if (req.headers['tus-resumable'] !== '1.0.0') return void res.writeHead(412, { 'Tus-Version': '1.0.0' }).end();
    if (!video) return void res.writeHead(404, common).end();
    if (method === 'HEAD')
      return void res.writeHead(200, { ...common, 'Upload-Offset': String(video.offset), 'Upload-Length': String(video.size) }).end();
    if (method !== 'PATCH') return void res.writeHead(405, common).end();
    if (req.headers['content-type'] !== 'application/offset+octet-stream') return void res.writeHead(415, common).end();
    const offset = Number(req.headers['upload-offset']);
    if (offset !== video.offset) return void res.writeHead(409, { ...common, 'Upload-Offset': String(video.offset) }).end();
    const length = Number(req.headers['content-length']);
    const last = offset + length === video.size;
    if (
      !Number.isInteger(length) ||
      length > CHUNK_MAX ||
      offset + length > video.size ||
      (!last && (length < CHUNK_MIN || length % CHUNK_MULTIPLE !== 0))
    ) {
      await this.body(req).catch(() => undefined);
      return void res
        .writeHead(400, common)
        .end(`chunks must be at least ${CHUNK_MIN} bytes and a multiple of ${CHUNK_MULTIPLE} (the last excepted), at most ${CHUNK_MAX}`);
    }
    const drop = this.dropNextPatchAfter;
    this.dropNextPatchAfter = undefined;
    const entry = { uid, offset, contentLength: length, received: 0, dropped: false };
    this.tusPatches.push(entry);
    await new Promise<void>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        if (entry.dropped) return;
        let part = chunk;
        if (drop !== undefined && entry.received + part.length >= drop) {
          part = part.subarray(0, drop - entry.received);
          entry.dropped = true;
        }
        entry.received += part.length;
        video.bytes.push(part);
        video.offset += part.length;
        if (entry.dropped) {
          // The connection breaks half-way, as on a flaky mobile network; what arrived is kept.
          req.socket.destroy();
          resolve();
        }
      });
      req.on('end', () => resolve());
      req.on('error', () => resolve());
      req.on('close', () => resolve());
    });
    if (entry.dropped) return;
    if (video.offset === video.size) this.finish(video, Buffer.concat(video.bytes));
    res.writeHead(204, { ...common, 'Upload-Offset': String(video.offset) }).end();
  }

  /** Images delivery: the variant, made with sharp; signed URLs checked (exp, then sig over `<path>?exp=<exp>`). */
  private async deliver(res: ServerResponse, url: URL): Promise<void> {
    const [, , , id, name] = url.pathname.split('/');
    const image = this.images.get(id);
    const variant = this.variants.get(name);
    if (!image || (!variant && name !== 'public')) return void res.writeHead(404).end('not found');
    if (image.requireSignedURLs && !variant?.neverRequireSignedURLs) {
      const exp = url.searchParams.get('exp');
      const sig = url.searchParams.get('sig') ?? '';
      const want = createHmac('sha256', this.signingKey).update(`${url.pathname}?exp=${exp}`).digest('hex');
      if (!exp || sig !== want) return void res.writeHead(403).end('bad signature');
      if (Number(exp) * 1000 < Date.now()) return void res.writeHead(403).end('expired');
    }
    let pipeline = sharp(image.bytes).rotate();
    if (variant)
      pipeline = pipeline.resize(variant.options.width, variant.options.height, {
        fit: variant.options.fit === 'cover' ? 'cover' : 'inside',
        withoutEnlargement: variant.options.fit === 'scale-down',
      });
    const out = await pipeline.webp().toBuffer();
    res.writeHead(200, { 'Content-Type': 'image/webp' }).end(out);
  }
}

export function parseTusMetadata(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of header.split(',')) {
    const [k, v] = pair.trim().split(' ');
    if (k) out[k] = v ? Buffer.from(v, 'base64').toString('utf8') : '';
  }
  return out;
}
