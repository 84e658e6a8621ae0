import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { Metrics } from '../../src/infrastructure/metrics/metrics.service';
import { createUser, UserFixture } from '../factories/user.factory';
import { hasGpsIfd, jpegWithGps, png } from '../fixtures/media/images';
import { FakeCloudflare, signWebhook } from '../helpers/fake-cloudflare';
import { AppProcess, startAppProcess } from '../helpers/app-process';
import { createSuiteDatabase, dropDatabase } from '../helpers/test-db';
import { startTestApp, TestApp } from '../helpers/test-app';

const MiB = 1024 * 1024;
const ffmpegHere = (() => {
  try {
    execFileSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** An ISO-BMFF ("MP4") looking file of `size` bytes: an ftyp box, then noise (Stream's fake only checks the box). */
function fakeMp4(size: number): Buffer {
  const b = randomBytes(size);
  Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')]).copy(b, 0);
  return b;
}

interface Session {
  mediaId: number;
  method: string;
  uploadUrl: string;
  headers: Record<string, string>;
  protocol: string;
  chunkSize?: number;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('media with Cloudflare Images and Stream (a fake Cloudflare on loopback)', () => {
  const fake = new FakeCloudflare();
  let t: TestApp;
  let dir: string;
  let alice: UserFixture;

  const announce = (body: object) => t.http.post('/api/v1/media/uploads').set(alice.auth).send(body);
  const complete = (id: number) => t.http.post(`/api/v1/media/${id}/complete`).set(alice.auth);
  const settled = (id: number, timeoutMs = 20000) =>
    until(
      `media ${id} to settle`,
      async () => {
        const body = (await t.http.get(`/api/v1/media/${id}`).set(alice.auth).expect(200)).body;
        return body.status === 'READY' || body.status === 'FAILED' ? body : null;
      },
      timeoutMs,
    );
  async function uploadImage(bytes: Buffer, mimeType = 'image/jpeg', fileName = 'photo.jpg'): Promise<number> {
    const s = (await announce({ kind: 'image', fileName, mimeType, size: bytes.length }).expect(201)).body as Session;
    expect(s.protocol).toBe('http-put');
    expect((await fetch(s.uploadUrl, { method: 'PUT', headers: s.headers, body: bytes })).status).toBe(200);
    await complete(s.mediaId).expect(202);
    return s.mediaId;
  }
  const cfCounter = async () =>
    (await t.app.get(Metrics).registry.getSingleMetric('connecto_cloudflare_requests_total')?.get())?.values ?? [];
  const counted = async (api: string, outcome: string) =>
    (await cfCounter()).filter((v) => v.labels.api === api && v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);

  beforeAll(async () => {
    await fake.start();
    dir = await mkdtemp(join(tmpdir(), 'connecto-media-cf-'));
    t = await startTestApp({
      tag: 'mediacf',
      env: { STORAGE_LOCAL_DIR: dir, ...fake.env({ CLOUDFLARE_STREAM_POLL_SECONDS: '1' }), MEDIA_WORKER_CONCURRENCY: '2' },
    });
    fake.webhookUrl = `${t.url}/api/v1/media/webhooks/cloudflare-stream`;
    alice = await createUser(t.env);
  });
  afterAll(async () => {
    await t?.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => fake.clearFaults());

  it('ingests an image into Cloudflare Images from a presigned URL, creates the three variants once, and hands out signed variant URLs', async () => {
    const id = await uploadImage(await jpegWithGps(1600, 1200));
    const media = await settled(id);
    expect(media).toMatchObject({ status: 'READY', provider: 'cloudflare_images', fallbackReason: null, width: 1600, height: 1200 });
    for (const name of ['thumbnail', 'preview', 'full'])
      expect(media.urls[name]).toMatch(
        new RegExp(`^${fake.url}/imagedelivery/${fake.accountHash}/[0-9a-f-]+/connecto\\w+\\?exp=\\d+&sig=[0-9a-f]{64}$`),
      );
    expect([...fake.variants.values()].map((v) => [v.id, v.options])).toEqual([
      ['connectothumb', { fit: 'cover', width: 150, height: 150, metadata: 'none' }],
      ['connectopreview', { fit: 'scale-down', width: 800, height: 800, metadata: 'none' }],
      ['connectofull', { fit: 'scale-down', width: 12000, height: 12000, metadata: 'none' }],
    ]);
    // The original reached Cloudflare through the URL, not through an upload from the API.
    const stored = fake.images.get(media.urls.thumbnail.split('/')[5]);
    expect(stored?.requireSignedURLs).toBe(true);
    expect(stored?.metadata).toEqual({ mediaId: id });

    const thumb = await fetch(media.urls.thumbnail);
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([150, 150]);
    expect(hasGpsIfd(meta.exif)).toBe(false);
    const unsigned = media.urls.preview.split('?')[0];
    expect((await fetch(unsigned)).status).toBe(403);
    // A signature with its first hex digit changed (to a different digit: a fixed '0' was the same 1 time in 16).
    const forged = media.urls.preview.replace(/sig=([0-9a-f])/, (_m: string, d: string) => `sig=${d === '0' ? '1' : '0'}`);
    expect(forged).not.toBe(media.urls.preview);
    expect((await fetch(forged)).status).toBe(403);

    // A second image: the variants are known, nothing is created again.
    const postsBefore = fake.callsTo('images/v1/variants', 'POST').length;
    expect((await settled(await uploadImage(await png(640, 480), 'image/png', 'b.png'))).provider).toBe('cloudflare_images');
    expect(fake.callsTo('images/v1/variants', 'POST').length).toBe(postsBefore);
    expect(postsBefore).toBe(3);
    // One list, three creates, two ingests: each counted once as `ok`.
    expect(fake.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'GET images/v1/variants 200',
      'POST images/v1/variants 200',
      'POST images/v1/variants 200',
      'POST images/v1/variants 200',
      'POST images/v1 200',
      'POST images/v1 200',
    ]);
    expect(await counted('images', 'ok')).toBe(6);
  });

  it('waits for Retry-After on a 429, and retries 500s and a hung call with backoff, still on Cloudflare', async () => {
    const rateLimitedBefore = await counted('images', 'rate_limited');
    fake.fail({ status: 429, retryAfterSeconds: 1 }, 1, /^images\/v1$/);
    const first = await settled(await uploadImage(await png(300, 200), 'image/png', 'limited.png'));
    expect(first).toMatchObject({ status: 'READY', provider: 'cloudflare_images' });
    const [limited, accepted] = fake.callsTo(/^images\/v1$/, 'POST').slice(-2);
    expect(limited.status).toBe(429);
    expect(accepted.status).toBe(200);
    expect(accepted.at - limited.at).toBeGreaterThanOrEqual(950);
    expect(await counted('images', 'rate_limited')).toBe(rateLimitedBefore + 1);

    fake.fail({ status: 500 }, 1, /^images\/v1$/);
    fake.fail({ status: 'hang' }, 1, /^images\/v1$/);
    const timeoutsBefore = await counted('images', 'timeout');
    const second = await settled(await uploadImage(await png(320, 200), 'image/png', 'flaky.png'));
    expect(second).toMatchObject({ status: 'READY', provider: 'cloudflare_images' });
    expect(
      fake
        .callsTo(/^images\/v1$/, 'POST')
        .slice(-3)
        .map((c) => c.status),
    ).toEqual([500, 'hang', 200]);
    expect(await counted('images', 'server_error')).toBeGreaterThanOrEqual(1);
    expect(await counted('images', 'timeout')).toBe(timeoutsBefore + 1);
  });

  it('falls back to local variants, marked so, when Cloudflare Images stays down', async () => {
    fake.fail({ status: 500 }, 100, /^images\/v1$/);
    const media = await settled(await uploadImage(await jpegWithGps(1200, 900)));
    expect(media).toMatchObject({ status: 'READY', provider: 'local', width: 1200, height: 900 });
    expect(media.fallbackReason).toMatch(
      /^Cloudflare Images could not process it \(Cloudflare images is unavailable: 500 .*\); variants were made locally$/,
    );
    expect(media.urls.thumbnail).toContain(`${t.url}/api/v1/storage/`);
    const thumb = await sharp(Buffer.from(await (await fetch(media.urls.thumbnail)).arrayBuffer())).metadata();
    expect([thumb.width, thumb.height, hasGpsIfd(thumb.exif)]).toEqual([150, 150, false]);
  });

  it('uploads a video over TUS straight to Stream, resuming from the server offset after a dropped connection; the webhook makes it READY', async () => {
    const bytes = fakeMp4(12 * MiB);
    const s = (await announce({ kind: 'video', fileName: 'beach.mp4', mimeType: 'video/mp4', size: bytes.length }).expect(201))
      .body as Session;
    expect(s).toMatchObject({ method: 'PATCH', protocol: 'tus', headers: { 'Tus-Resumable': '1.0.0' }, chunkSize: 5 * MiB });
    expect(s.uploadUrl.startsWith(`${fake.url}/tus/`)).toBe(true);
    const created = fake.callsTo(/^stream$/, 'POST').at(-1);
    expect(created?.status).toBe(201);
    const uid = new URL(s.uploadUrl).pathname.split('/')[2];
    expect(fake.videos.get(uid)?.meta).toMatchObject({ name: 'beach.mp4', maxDurationSeconds: '600' });

    // Not uploaded yet: 409, and the upload can go on.
    await complete(s.mediaId).expect(409);

    fake.dropNextPatchAfter = 3 * MiB;
    await new Promise<void>((resolve, reject) => {
      const upload = new tus.Upload(bytes, {
        uploadUrl: s.uploadUrl,
        headers: s.headers,
        chunkSize: s.chunkSize,
        retryDelays: [100, 300, 1000],
        onError: reject,
        onSuccess: () => resolve(),
      });
      upload.start();
    });
    const patches = fake.tusPatches.filter((p) => p.uid === uid);
    expect(patches[0]).toMatchObject({ offset: 0, dropped: true, received: 3 * MiB });
    // Resumed where the server was (HEAD → Upload-Offset), not from the start.
    expect(patches[1]).toMatchObject({ offset: 3 * MiB, dropped: false });
    expect(patches.filter((p) => p.offset === 0)).toHaveLength(1);
    expect(Buffer.concat(fake.videos.get(uid)?.bytes ?? []).equals(bytes)).toBe(true);

    await complete(s.mediaId).expect(202);
    const media = await settled(s.mediaId);
    expect(media).toMatchObject({ status: 'READY', provider: 'cloudflare_stream', durationSeconds: 12.5, width: 1280, height: 720 });
    expect(media.urls).toEqual({
      hls: `${fake.url}/stream/${uid}/manifest/video.m3u8`,
      thumbnail: `${fake.url}/stream/${uid}/thumbnails/thumbnail.jpg`,
    });
    await until('the webhook answered', async () => fake.webhooksSent.some((w) => w.status === 200 && w.body.includes(uid)));
  });

  it('refuses forged, old, replayed and unsigned webhooks', async () => {
    const hook = (body: string, signature?: string) =>
      t.http
        .post('/api/v1/media/webhooks/cloudflare-stream')
        .set('Content-Type', 'application/json')
        .set(signature ? { 'Webhook-Signature': signature } : {})
        .send(body);
    const body = JSON.stringify({ uid: 'f'.repeat(32), readyToStream: true, status: { state: 'ready' } });
    expect((await hook(body)).status).toBe(403);
    expect((await hook(body, signWebhook('not-the-secret-at-all', body))).status).toBe(403);
    expect((await hook(body, signWebhook(fake.webhookSecret, body).replace('sig1=', 'sig1=0').slice(0, -1))).status).toBe(403);
    expect((await hook(body, signWebhook(fake.webhookSecret, `${body} `))).status).toBe(403);
    const old = await hook(body, signWebhook(fake.webhookSecret, body, Math.floor(Date.now() / 1000) - 3600));
    expect(old.status).toBe(403);
    expect(old.body.message).toMatch(/more than 300 s away/);
    const signature = signWebhook(fake.webhookSecret, body);
    const first = await hook(body, signature);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, mediaId: null });
    expect((await hook(body, signature)).status).toBe(409);
  });

  it('answers a storage upload when Stream is down, then copies the stored video to Stream', async () => {
    fake.fail({ status: 500 }, 4, /^stream$/); // the direct upload: first try and 3 retries
    const bytes = fakeMp4(256 * 1024);
    const s = (await announce({ kind: 'video', fileName: 'fallback.mp4', mimeType: 'video/mp4', size: bytes.length }).expect(201))
      .body as Session;
    expect(s.protocol).toBe('http-put');
    expect((await fetch(s.uploadUrl, { method: 'PUT', headers: s.headers, body: bytes })).status).toBe(200);
    await complete(s.mediaId).expect(202);
    const media = await settled(s.mediaId);
    expect(media).toMatchObject({ status: 'READY', provider: 'cloudflare_stream', fallbackReason: null });
    expect(media.urls.hls).toMatch(new RegExp(`^${fake.url}/stream/[0-9a-f]{32}/manifest/video.m3u8$`));
    expect(fake.callsTo('stream/copy', 'POST').at(-1)?.status).toBe(200);
  });

  (ffmpegHere ? it : it.skip)('serves a video from storage with a local poster frame (ffmpeg) when Stream stays down', async () => {
    fake.fail({ status: 500 }, 100, /^stream/);
    const file = join(dir, 'clip.mp4');
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=640x360:rate=10',
      '-t',
      '2',
      '-pix_fmt',
      'yuv420p',
      '-y',
      file,
    ]);
    const bytes = await readFile(file);
    const s = (await announce({ kind: 'video', fileName: 'clip.mp4', mimeType: 'video/mp4', size: bytes.length }).expect(201))
      .body as Session;
    expect(s.protocol).toBe('http-put');
    expect((await fetch(s.uploadUrl, { method: 'PUT', headers: s.headers, body: bytes })).status).toBe(200);
    await complete(s.mediaId).expect(202);
    const media = await settled(s.mediaId, 30000);
    expect(media).toMatchObject({ status: 'READY', provider: 'local' });
    expect(media.fallbackReason).toMatch(/^Cloudflare Stream could not take it .*; served as uploaded$/);
    expect(Buffer.from(await (await fetch(media.urls.full)).arrayBuffer()).equals(bytes)).toBe(true);
    const poster = await sharp(Buffer.from(await (await fetch(media.urls.thumbnail)).arrayBuffer())).metadata();
    expect([poster.format, poster.width, poster.height]).toEqual(['webp', 150, 150]);
    const preview = await sharp(Buffer.from(await (await fetch(media.urls.preview)).arrayBuffer())).metadata();
    expect([preview.width, preview.height]).toEqual([640, 360]);
  });
});

describe('the Cloudflare rate limit is shared by all nodes (Redis)', () => {
  const fake = new FakeCloudflare();
  let database: string;
  let dir: string;
  let api: TestApp;
  let worker: AppProcess | undefined;
  let alice: UserFixture;
  const LIMIT = 8;

  beforeAll(async () => {
    await fake.start();
    // The variants exist already (an earlier deploy made them): the budget goes to the images.
    for (const [id, options] of [
      ['connectothumb', { fit: 'cover', width: 150, height: 150, metadata: 'none' }],
      ['connectopreview', { fit: 'scale-down', width: 800, height: 800, metadata: 'none' }],
      ['connectofull', { fit: 'scale-down', width: 12000, height: 12000, metadata: 'none' }],
    ] as const)
      fake.variants.set(id, { id, options: { ...options } });
    dir = await mkdtemp(join(tmpdir(), 'connecto-media-cf-rl-'));
    database = await createSuiteDatabase('mediacfrl');
    const env = {
      STORAGE_LOCAL_DIR: dir,
      ...fake.env({
        CLOUDFLARE_RATE_LIMIT_REQUESTS: String(LIMIT),
        CLOUDFLARE_RATE_LIMIT_WINDOW_SECONDS: '120',
        CLOUDFLARE_MAX_WAIT_SECONDS: '1',
      }),
      MEDIA_WORKER_CONCURRENCY: '2',
      RATE_LIMIT_UPLOAD: '1000/60s',
    };
    api = await startTestApp({ database, env });
    worker = await startAppProcess({ database, env: { ...env, LOG_LEVEL: 'warn' } });
    alice = await createUser(api.env);
  });
  afterAll(async () => {
    await worker?.stop('SIGTERM').catch(() => undefined);
    await api?.close();
    await dropDatabase(database);
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`sends at most ${LIMIT} calls per window from two nodes together; the images past it get local variants`, async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const bytes = await png(200 + i, 150);
      const s = (
        await api.http
          .post('/api/v1/media/uploads')
          .set(alice.auth)
          .send({ kind: 'image', fileName: `p${i}.png`, mimeType: 'image/png', size: bytes.length })
          .expect(201)
      ).body as Session;
      expect((await fetch(s.uploadUrl, { method: 'PUT', headers: s.headers, body: bytes })).status).toBe(200);
      ids.push(s.mediaId);
    }
    await Promise.all(ids.map((id) => api.http.post(`/api/v1/media/${id}/complete`).set(alice.auth).expect(202)));
    const results = await Promise.all(
      ids.map((id) =>
        until(
          `media ${id}`,
          async () => {
            const b = (await api.http.get(`/api/v1/media/${id}`).set(alice.auth).expect(200)).body;
            return b.status === 'READY' ? b : null;
          },
          30000,
        ),
      ),
    );
    expect(fake.calls.length).toBeLessThanOrEqual(LIMIT);
    const onCloudflare = results.filter((m) => m.provider === 'cloudflare_images');
    const local = results.filter((m) => m.provider === 'local');
    expect(onCloudflare.length + local.length).toBe(12);
    expect(onCloudflare.length).toBeGreaterThanOrEqual(1);
    expect(local.length).toBeGreaterThanOrEqual(12 - LIMIT);
    for (const m of local) expect(m.fallbackReason).toMatch(/the Cloudflare API limit \(8 requests per 120 s, all nodes\) is spent/);
    // Both nodes called Cloudflare: the API node's own counter saw fewer calls than the fake received.
    const own = (await api.app.get(Metrics).registry.getSingleMetric('connecto_cloudflare_requests_total')?.get())?.values ?? [];
    const apiSent = own.filter((v) => v.labels.outcome !== 'throttled').reduce((n, v) => n + v.value, 0);
    expect(apiSent).toBeGreaterThan(0);
    expect(apiSent).toBeLessThan(fake.calls.length);
  });
});
