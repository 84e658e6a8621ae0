import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { LocalStorageDriver } from '../../src/infrastructure/storage/local-storage.driver';
import { STORAGE_DRIVER } from '../../src/infrastructure/storage/storage-driver';
import { MediaService } from '../../src/modules/media/media.service';
import { createUser, UserFixture } from '../factories/user.factory';
import { hasGpsIfd, jpegWithGps, png, pngBomb, webp } from '../fixtures/media/images';
import { connectSocket, SocketRecorder } from '../helpers/socket';
import { planetWith } from '../factories';
import { startTestApp, TestApp } from '../helpers/test-app';
import { DistributedCacheService } from '../../src/infrastructure/cache/distributed-cache.service';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';

interface Session {
  mediaId: number;
  method: string;
  uploadUrl: string;
  headers: Record<string, string>;
  protocol: string;
  expiresAt: string;
}

describe('media over the local driver: presign, PUT, complete, process, read back', () => {
  let t: TestApp;
  let dir: string;
  let alice: UserFixture;
  let bob: UserFixture;
  let outsider: UserFixture;
  let planetId: number;

  const announce = (u: UserFixture, body: object) => t.http.post('/api/v1/media/uploads').set(u.auth).send(body);
  /** As a phone would: a plain HTTP PUT of the bytes to the signed URL with the headers it was given. */
  const put = (s: Session, body: Buffer, headers: Record<string, string> = {}) =>
    fetch(s.uploadUrl, { method: s.method, headers: { ...s.headers, ...headers }, body });
  const complete = (u: UserFixture, id: number) => t.http.post(`/api/v1/media/${id}/complete`).set(u.auth);
  const getMedia = (u: UserFixture, id: number) => t.http.get(`/api/v1/media/${id}`).set(u.auth);
  const rowOf = async (id: number) =>
    (await t.app.get(DataSource).query('SELECT status, failure_reason, variants FROM media WHERE id = $1', [id]))[0];
  const mediaCount = async (u: UserFixture) =>
    Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM media WHERE owner_id = $1', [u.user.id]))[0].n);
  const filesUnder = async (u: UserFixture): Promise<string[]> => {
    const root = join(dir, 'media', String(u.user.id));
    if (!existsSync(root)) return [];
    return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  };

  async function upload(u: UserFixture, bytes: Buffer, mimeType: string, fileName: string, kind = 'image'): Promise<Session> {
    const res = await announce(u, { kind, fileName, mimeType, size: bytes.length }).expect(201);
    const s = res.body as Session;
    const stored = await put(s, bytes);
    expect(stored.status).toBe(200);
    return s;
  }

  async function settled(u: UserFixture, id: number, timeoutMs = 20000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const res = await getMedia(u, id).expect(200);
      if (res.body.status === 'READY' || res.body.status === 'FAILED') return res.body;
      if (Date.now() > until) throw new Error(`media ${id} still ${res.body.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function download(url: string): Promise<{ status: number; type: string | null; body: Buffer }> {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connecto-media-'));
    t = await startTestApp({ tag: 'media', env: { STORAGE_LOCAL_DIR: dir, MEDIA_WORKER_CONCURRENCY: '2' } });
    [alice, bob, outsider] = await Promise.all([createUser(t.env), createUser(t.env), createUser(t.env)]);
    planetId = await planetWith(alice, [bob]);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers an upload session with a signed PUT for one key under the uploader’s prefix', async () => {
    const before = Date.now();
    const res = await announce(alice, { kind: 'image', fileName: '해운대.jpg', mimeType: 'image/jpeg', size: 1234 }).expect(201);
    expect(res.body).toEqual({
      mediaId: expect.any(Number),
      method: 'PUT',
      uploadUrl: expect.stringContaining(`/api/v1/storage/media/${alice.user.id}/`),
      headers: { 'Content-Type': 'image/jpeg' },
      protocol: 'http-put',
      expiresAt: expect.any(String),
    });
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThan(before);
    expect(expiresAt).toBeLessThanOrEqual(before + t.env.MEDIA_UPLOAD_URL_TTL_SECONDS * 1000 + 1000);
    expect(new URL(res.body.uploadUrl).searchParams.get('sig')).toMatch(/^[\w-]{43}$/);
    expect((await rowOf(res.body.mediaId)).status).toBe('PENDING');
  });

  it('turns a JPEG into thumbnail 150×150, preview 800×600 and full 1600×1200 WebP without the GPS location', async () => {
    const original = await jpegWithGps(1600, 1200);
    expect(hasGpsIfd((await sharp(original).metadata()).exif)).toBe(true);
    const s = await upload(alice, original, 'image/jpeg', 'busan.jpg');
    const done = await complete(alice, s.mediaId).expect(202);
    expect(done.body).toMatchObject({ id: s.mediaId, kind: 'image', status: 'UPLOADED', urls: {} });
    const media = await settled(alice, s.mediaId);
    expect(media).toMatchObject({
      status: 'READY',
      width: 1600,
      height: 1200,
      failureReason: null,
      size: original.length,
      mimeType: 'image/jpeg',
      fileName: 'busan.jpg',
    });
    const expected = { thumbnail: [150, 150], preview: [800, 600], full: [1600, 1200] } as const;
    for (const [name, [w, h]] of Object.entries(expected)) {
      const got = await download(media.urls[name]);
      expect(got.status).toBe(200);
      expect(got.type).toBe('image/webp');
      const meta = await sharp(got.body).metadata();
      expect([name, meta.format, meta.width, meta.height]).toEqual([name, 'webp', w, h]);
      expect(meta.exif).toBeUndefined();
      expect(hasGpsIfd(meta.exif)).toBe(false);
    }
  });

  it('makes the variants of PNG, WebP and HEIC too, never enlarging the preview', async () => {
    const cases = [
      { bytes: await png(300, 200), mime: 'image/png', name: 'small.png', preview: [300, 200] },
      { bytes: await webp(2000, 1000), mime: 'image/webp', name: 'wide.webp', preview: [800, 400] },
      {
        bytes: readFileSync(join(__dirname, '..', 'fixtures', 'media', 'photo.heic')),
        mime: 'image/heic',
        name: 'IMG_0001.HEIC',
        preview: [640, 480],
      },
    ];
    for (const c of cases) {
      const s = await upload(alice, c.bytes, c.mime, c.name);
      await complete(alice, s.mediaId).expect(202);
      const media = await settled(alice, s.mediaId);
      expect(media.status).toBe('READY');
      const thumb = await sharp((await download(media.urls.thumbnail)).body).metadata();
      const preview = await sharp((await download(media.urls.preview)).body).metadata();
      expect([c.name, thumb.width, thumb.height, preview.width, preview.height]).toEqual([c.name, 150, 150, ...c.preview]);
    }
  });

  it('refuses bad announcements with 400 naming the field, and stores nothing', async () => {
    const before = await mediaCount(alice);
    const ok = { kind: 'image', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 1000 };
    const cases: [object, string][] = [
      [{ ...ok, mimeType: undefined }, 'mimeType'],
      [{ ...ok, mimeType: 'application/x-msdownload' }, 'mimeType'],
      [{ ...ok, mimeType: 'video/mp4', fileName: 'a.mp4' }, 'mimeType'],
      [{ ...ok, kind: 'sticker' }, 'kind'],
      [{ ...ok, fileName: '../etc/passwd.jpg' }, 'fileName'],
      [{ ...ok, fileName: 'a.png' }, 'fileName'],
      [{ ...ok, fileName: '' }, 'fileName'],
      [{ ...ok, size: 10 * 1024 * 1024 + 1 }, 'size'],
      [{ ...ok, size: 0 }, 'size'],
      [{ ...ok, size: 'big' }, 'size'],
      [{ kind: 'file', fileName: 'big.pdf', mimeType: 'application/pdf', size: 50 * 1024 * 1024 + 1 }, 'size'],
    ];
    for (const [body, field] of cases) {
      const res = await announce(alice, body);
      expect([JSON.stringify(body), res.status, res.body.details?.[0]?.field]).toEqual([JSON.stringify(body), 400, field]);
    }
    expect(await mediaCount(alice)).toBe(before);
    await announce(alice, { ...ok, size: 10 * 1024 * 1024 }).expect(201);
  });

  it('refuses a text file named .jpg at completion, deletes it and marks the media FAILED', async () => {
    const text = Buffer.from('this is not a picture, just text in a file named like one\n'.repeat(20));
    const s = await upload(alice, text, 'image/jpeg', 'fake.jpg');
    const res = await complete(alice, s.mediaId).expect(400);
    expect(res.body.details[0].field).toBe('mimeType');
    expect(res.body.message).toMatch(/not/);
    const media = await getMedia(alice, s.mediaId).expect(200);
    expect(media.body).toMatchObject({ status: 'FAILED', urls: {}, failureReason: expect.stringContaining('image/jpeg') });
    expect((await filesUnder(alice)).filter((f) => f.includes(s.uploadUrl.split('/')[8]))).toEqual([]);
  });

  it('refuses a body whose length differs from the announced size, keeping nothing', async () => {
    const bytes = await png(64, 64);
    const res = await announce(alice, { kind: 'image', fileName: 'x.png', mimeType: 'image/png', size: bytes.length + 10 }).expect(201);
    const s = res.body as Session;
    const short = await put(s, bytes);
    expect(short.status).toBe(400);
    expect(((await short.json()) as { message: string }).message).toMatch(/Content-Length/);
    const folder = new URL(s.uploadUrl).pathname.split('/').slice(-2, -1)[0];
    expect((await filesUnder(alice)).filter((f) => f.includes(folder))).toEqual([]);
    const early = await complete(alice, s.mediaId).expect(409);
    expect(early.body.message).toMatch(/Nothing was uploaded yet/);
    expect((await rowOf(s.mediaId)).status).toBe('PENDING');
  });

  it('refuses a decompression bomb at completion (12,000 px a side, 100 megapixels)', async () => {
    for (const [w, h, why] of [
      [100000, 100000, /px a side/],
      [11000, 11000, /megapixels/],
    ] as const) {
      const bomb = pngBomb(w, h);
      const s = await upload(alice, bomb, 'image/png', 'bomb.png');
      const res = await complete(alice, s.mediaId).expect(400);
      expect(res.body.message).toMatch(why);
      expect((await rowOf(s.mediaId)).status).toBe('FAILED');
      const folder = new URL(s.uploadUrl).pathname.split('/').slice(-2, -1)[0];
      expect((await filesUnder(alice)).filter((f) => f.includes(folder))).toEqual([]);
    }
  });

  it('lets only the uploader complete, only once, even when two completes race', async () => {
    const s = await upload(alice, await png(40, 40), 'image/png', 'race.png');
    await complete(bob, s.mediaId).expect(404);
    await complete(alice, 99999999).expect(404);
    expect((await rowOf(s.mediaId)).status).toBe('PENDING');
    const results = await Promise.all([complete(alice, s.mediaId), complete(alice, s.mediaId), complete(alice, s.mediaId)]);
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect((await complete(alice, s.mediaId).expect(409)).body.message).toMatch(/already completed/);
    expect((await settled(alice, s.mediaId)).status).toBe('READY');
  });

  it('refuses expired, tampered and unsigned storage URLs with 403', async () => {
    const driver = t.app.get<LocalStorageDriver>(STORAGE_DRIVER);
    const bytes = await png(20, 20);
    const res = await announce(alice, { kind: 'image', fileName: 'e.png', mimeType: 'image/png', size: bytes.length }).expect(201);
    const s = res.body as Session;
    const key = new URL(s.uploadUrl).pathname.replace('/api/v1/storage/', '');
    const expired = await driver.presignUpload(key, { contentType: 'image/png', size: bytes.length, expiresInSeconds: -5 });
    const r1 = await fetch(expired.url, { method: 'PUT', headers: expired.headers, body: bytes });
    expect([r1.status, ((await r1.json()) as { message: string }).message]).toEqual([403, expect.stringMatching(/expired/)]);

    const otherKey = s.uploadUrl.replace(`/media/${alice.user.id}/`, `/media/${bob.user.id}/`);
    const tampered = [
      otherKey,
      s.uploadUrl.replace(/len=\d+/, 'len=999'),
      s.uploadUrl.replace(/sig=[^&]+/, 'sig=AAAA'),
      s.uploadUrl.split('?')[0],
    ];
    for (const url of tampered) {
      const r = await fetch(url, { method: 'PUT', headers: s.headers, body: bytes });
      expect([url, r.status]).toEqual([url, 403]);
    }
    const wrongType = await fetch(s.uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body: bytes });
    expect(wrongType.status).toBe(400);
    expect(await filesUnder(alice).then((f) => f.filter((x) => x.includes(key.split('/')[2])))).toEqual([]);

    expect((await put(s, bytes)).status).toBe(200);
    expect((await put(s, bytes)).status).toBe(409);
    await complete(alice, s.mediaId).expect(202);
    const media = await settled(alice, s.mediaId);
    const url = new URL(media.urls.full as string);
    expect((await download(url.toString())).status).toBe(200);
    url.searchParams.set('ct', 'text/html');
    expect((await download(url.toString())).status).toBe(403);
    const stale = await driver.presignDownload(media.urls.full.split('/api/v1/storage/')[1].split('?')[0], {
      expiresInSeconds: -1,
      contentType: 'image/webp',
    });
    expect((await download(stale)).status).toBe(403);
  });

  it('shows a media to its owner, and to others only once it was posted in a planet where they are ACTIVE members', async () => {
    const s = await upload(alice, await png(50, 50), 'image/png', 'shared.png');
    await complete(alice, s.mediaId).expect(202);
    await settled(alice, s.mediaId);
    await getMedia(bob, s.mediaId).expect(404);
    await getMedia(outsider, s.mediaId).expect(404);
    const sent = await t.http
      .post(`/api/v1/planets/${planetId}/messages`)
      .set(alice.auth)
      .send({ mediaIds: [s.mediaId] })
      .expect(201);
    expect(sent.body.type).toBe('IMAGE');
    const seen = await getMedia(bob, s.mediaId).expect(200);
    expect(seen.body.urls.thumbnail).toEqual(expect.any(String));
    await getMedia(outsider, s.mediaId).expect(404);
    // A change behind the app's back: the cached membership check is told, as the app's writers tell it.
    const invalidate = () => t.app.get(DistributedCacheService).invalidateTags(PlanetUser.cacheTags(planetId, bob.user.id));
    await t.app
      .get(DataSource)
      .query(`UPDATE planet_user SET status = 'LEFT' WHERE planet_id = $1 AND user_id = $2`, [planetId, bob.user.id]);
    await invalidate();
    await getMedia(bob, s.mediaId).expect(404);
    await t.app
      .get(DataSource)
      .query(`UPDATE planet_user SET status = 'ACTIVE' WHERE planet_id = $1 AND user_id = $2`, [planetId, bob.user.id]);
    await invalidate();
  });
  it('sends media:ready to the uploader and to the planets where the media was posted', async () => {
    const [aliceSocket, bobSocket, outsiderSocket] = await Promise.all([
      connectSocket(t.url, alice.token),
      connectSocket(t.url, bob.token),
      connectSocket(t.url, outsider.token),
    ]);
    try {
      const [a, b, o] = [new SocketRecorder(aliceSocket), new SocketRecorder(bobSocket), new SocketRecorder(outsiderSocket)];
      const s = await upload(alice, await jpegWithGps(4000, 3000), 'image/jpeg', 'big.jpg');
      await complete(alice, s.mediaId).expect(202);
      // Posted while still processing (a big photo takes a while): the planet hears when it is ready.
      const sent = await t.http
        .post(`/api/v1/planets/${planetId}/messages`)
        .set(alice.auth)
        .send({ content: '사진', mediaIds: [s.mediaId] })
        .expect(201);
      expect(['UPLOADED', 'PROCESSING']).toContain(sent.body.attachments[0].status);
      type Ready = { mediaId: number; status: string; urls: Record<string, string> };
      const mine = (p: Ready) => p.mediaId === s.mediaId;
      const [toAlice, toBob] = await Promise.all([a.next<Ready>('media:ready', mine, 30000), b.next<Ready>('media:ready', mine, 30000)]);
      expect(toAlice).toMatchObject({
        mediaId: s.mediaId,
        status: 'READY',
        urls: { thumbnail: expect.any(String), preview: expect.any(String), full: expect.any(String) },
      });
      expect(toBob.status).toBe('READY');
      expect((await download(toBob.urls.preview)).status).toBe(200);
      expect(o.events.filter((e) => e.event === 'media:ready')).toEqual([]);
    } finally {
      for (const sock of [aliceSocket, bobSocket, outsiderSocket]) sock.close();
    }
  });

  it('attaches only the sender’s own uploaded media, typed by the media, and shows their state and URLs', async () => {
    const send = (u: UserFixture, body: object) => t.http.post(`/api/v1/planets/${planetId}/messages`).set(u.auth).send(body);
    const ready = await upload(alice, await png(60, 60), 'image/png', 'ready.png');
    await complete(alice, ready.mediaId).expect(202);
    await settled(alice, ready.mediaId);
    const pending = (await announce(alice, { kind: 'image', fileName: 'p.png', mimeType: 'image/png', size: 10 }).expect(201))
      .body as Session;
    const failed = await upload(alice, Buffer.from('not a png at all'), 'image/png', 'f.png');
    await complete(alice, failed.mediaId).expect(400);
    const pdfBytes = Buffer.from('%PDF-1.4\n% 여행 일정\n');
    const pdf = await upload(alice, pdfBytes, 'application/pdf', '여행일정.pdf', 'file');
    await complete(alice, pdf.mediaId).expect(202);

    for (const [u, ids] of [
      [bob, [ready.mediaId]],
      [alice, [pending.mediaId]],
      [alice, [failed.mediaId]],
      [alice, [ready.mediaId, 99999999]],
    ] as const) {
      const res = await send(u, { mediaIds: ids }).expect(400);
      expect(res.body.details[0].field).toBe('mediaIds');
    }
    const image = await send(alice, { mediaIds: [ready.mediaId] }).expect(201);
    expect(image.body).toMatchObject({
      type: 'IMAGE',
      attachments: [
        { mediaId: ready.mediaId, kind: 'image', fileName: 'ready.png', status: 'READY', urls: { thumbnail: expect.any(String) } },
      ],
    });
    await settled(alice, pdf.mediaId);
    const file = await send(alice, { mediaIds: [pdf.mediaId] }).expect(201);
    expect(file.body.type).toBe('FILE');
    const listed = await t.http.get(`/api/v1/planets/${planetId}/messages?limit=5`).set(bob.auth).expect(200);
    const shown = listed.body.data.find((m: { id: string }) => m.id === file.body.id);
    expect(shown.attachments[0]).toMatchObject({ mediaId: pdf.mediaId, status: 'READY', urls: { full: expect.any(String) } });
    const got = await download(shown.attachments[0].urls.full);
    expect([got.status, got.type, got.body.equals(pdfBytes)]).toEqual([200, 'application/pdf', true]);
  });

  it("shows media state and signed URLs on search hits and on planets' lastMessage", async () => {
    const s = await upload(alice, await png(120, 90), 'image/png', 'searchable.png');
    await complete(alice, s.mediaId).expect(202);
    await settled(alice, s.mediaId);
    const sent = await t.http
      .post(`/api/v1/planets/${planetId}/messages`)
      .set(alice.auth)
      .send({ content: '해운대 일몰 사진 zxqvb', mediaIds: [s.mediaId] })
      .expect(201);
    const attachment = {
      mediaId: s.mediaId,
      status: 'READY',
      urls: { thumbnail: expect.stringContaining('/api/v1/storage/'), preview: expect.any(String), full: expect.any(String) },
    };

    const hits = await t.http.get('/api/v1/messages/search').query({ query: 'zxqvb' }).set(bob.auth).expect(200);
    const hit = hits.body.data.find((m: { id: string }) => m.id === sent.body.id);
    expect(hit.attachments).toEqual([expect.objectContaining(attachment)]);
    expect((await download(hit.attachments[0].urls.thumbnail)).status).toBe(200);

    const planets = await t.http.get('/api/v1/planets').set(bob.auth).expect(200);
    const planet = planets.body.data.find((p: { id: number }) => p.id === planetId);
    expect(planet.lastMessage.id).toBe(sent.body.id);
    expect(planet.lastMessage.attachments).toEqual([expect.objectContaining(attachment)]);
    const thumb = await download(planet.lastMessage.attachments[0].urls.thumbnail);
    expect([thumb.status, thumb.type]).toEqual([200, 'image/webp']);
  });

  it('takes only a READY image of the user as avatar, and serves it by a signed URL', async () => {
    const patch = (u: UserFixture, body: object) => t.http.patch('/api/v1/users/me/profile').set(u.auth).send(body);
    const pending = (await announce(alice, { kind: 'image', fileName: 'me.png', mimeType: 'image/png', size: 10 }).expect(201))
      .body as Session;
    expect((await patch(alice, { avatarMediaId: pending.mediaId }).expect(400)).body.details[0]).toEqual({
      field: 'avatarMediaId',
      problem: 'must be a READY image; this one is PENDING',
    });
    const failed = await upload(alice, Buffer.from('nope'), 'image/png', 'bad.png');
    await complete(alice, failed.mediaId).expect(400);
    await patch(alice, { avatarMediaId: failed.mediaId }).expect(400);
    const s = await upload(alice, await png(500, 300), 'image/png', 'me.png');
    await complete(alice, s.mediaId).expect(202);
    await settled(alice, s.mediaId);
    await patch(bob, { avatarMediaId: s.mediaId }).expect(400);
    const res = await patch(alice, { avatarMediaId: s.mediaId }).expect(200);
    expect(res.body.avatarMediaId).toBe(s.mediaId);
    const avatar = await download(res.body.avatarUrl);
    expect(avatar.status).toBe(200);
    expect(await sharp(avatar.body).metadata()).toMatchObject({ width: 150, height: 150 });
    const me = await t.http.get('/api/v1/users/me').set(alice.auth).expect(200);
    expect(me.body.profile.avatarUrl).toEqual(expect.stringContaining('/api/v1/storage/'));
  });
  it('ends uploads never completed FAILED once their URL expired, deleting what a PUT left, and re-queues lost jobs', async () => {
    const db = t.app.get(DataSource);
    const service = t.app.get(MediaService);
    const putOnly = await upload(alice, await png(30, 30), 'image/png', 'left.png');
    const announced = (await announce(alice, { kind: 'image', fileName: 'never.png', mimeType: 'image/png', size: 10 }).expect(201))
      .body as Session;
    const fresh = (await announce(alice, { kind: 'image', fileName: 'fresh.png', mimeType: 'image/png', size: 10 }).expect(201))
      .body as Session;
    const folder = (s: Session) => new URL(s.uploadUrl).pathname.split('/').slice(-2, -1)[0];
    expect((await filesUnder(alice)).filter((f) => f.includes(folder(putOnly)))).toHaveLength(1);
    await db.query(`UPDATE media SET created_at = now() - interval '1 hour' WHERE id = ANY($1)`, [[putOnly.mediaId, announced.mediaId]]);

    expect(await service.failAbandonedUploads()).toBe(2);
    for (const id of [putOnly.mediaId, announced.mediaId]) {
      expect(await rowOf(id)).toMatchObject({
        status: 'FAILED',
        failure_reason: 'the upload was not completed before its upload URL expired',
      });
      await complete(alice, id).expect(409);
    }
    expect((await filesUnder(alice)).filter((f) => f.includes(folder(putOnly)))).toEqual([]);
    expect((await rowOf(fresh.mediaId)).status).toBe('PENDING');

    // A node that died between the claim and the queue leaves an UPLOADED row without a job.
    const lost = await upload(alice, await png(30, 30), 'image/png', 'lost.png');
    await db.query(`UPDATE media SET status = 'UPLOADED', updated_at = now() - interval '1 hour' WHERE id = $1`, [lost.mediaId]);
    expect(await service.requeueStalledUploads()).toBe(1);
    expect((await settled(alice, lost.mediaId)).status).toBe('READY');
    expect(await service.requeueStalledUploads()).toBe(0);
  });
  it('stores text and CSV files byte for byte (no body parser touches the upload)', async () => {
    for (const [mime, name, text] of [
      ['text/plain', '준비물.txt', '여권, 충전기, 우산\n'],
      ['text/csv', 'budget.csv', 'item,won\n숙소,120000\n'],
    ] as const) {
      const bytes = Buffer.from(text, 'utf8');
      const s = await upload(alice, bytes, mime, name, 'file');
      await complete(alice, s.mediaId).expect(202);
      const media = await settled(alice, s.mediaId);
      const got = await download(media.urls.full);
      expect([name, got.status, got.type, got.body.toString('utf8')]).toEqual([name, 200, mime, text]);
    }
  });
});
