import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { S3StorageDriver } from '../../src/infrastructure/storage/s3-storage.driver';
import { STORAGE_DRIVER } from '../../src/infrastructure/storage/storage-driver';
import { createUser, UserFixture } from '../factories/user.factory';
import { jpegWithGps } from '../fixtures/media/images';
import { startS3rver, TestS3 } from '../helpers/s3rver';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Session {
  mediaId: number;
  method: string;
  uploadUrl: string;
  headers: Record<string, string>;
}

describe('media over the s3 driver, against a real S3-compatible server (s3rver)', () => {
  let s3: TestS3;
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;

  const announce = (u: UserFixture, body: object) => t.http.post('/api/v1/media/uploads').set(u.auth).send(body);
  const put = (s: Session, body: Buffer) => fetch(s.uploadUrl, { method: s.method, headers: s.headers, body });
  const complete = (u: UserFixture, id: number) => t.http.post(`/api/v1/media/${id}/complete`).set(u.auth);
  const driver = () => t.app.get<S3StorageDriver>(STORAGE_DRIVER);
  const keyOf = async (id: number): Promise<string> =>
    (await t.app.get(DataSource).query('SELECT storage_key FROM media WHERE id = $1', [id]))[0].storage_key;

  async function settled(u: UserFixture, id: number) {
    const until = Date.now() + 20000;
    for (;;) {
      const res = await t.http.get(`/api/v1/media/${id}`).set(u.auth).expect(200);
      if (res.body.status === 'READY' || res.body.status === 'FAILED') return res.body;
      if (Date.now() > until) throw new Error(`media ${id} still ${res.body.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    s3 = await startS3rver();
    t = await startTestApp({ tag: 'media_s3', env: s3.env });
    [alice, bob] = await Promise.all([createUser(t.env), createUser(t.env)]);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('presigns a PUT straight to the bucket, for one key under the uploader’s prefix, without the SDK’s default checksum', async () => {
    expect(driver().name).toBe('s3');
    const res = await announce(alice, { kind: 'image', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 100 }).expect(201);
    const url = new URL(res.body.uploadUrl);
    expect(url.origin).toBe(s3.endpoint);
    expect(url.pathname).toMatch(new RegExp(`^/${s3.bucket}/media/${alice.user.id}/[0-9a-f-]{36}/original\\.jpg$`));
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(t.env.MEDIA_UPLOAD_URL_TTL_SECONDS));
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host']),
    );
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(res.body.headers).toEqual({ 'Content-Type': 'image/jpeg' });
  });

  it('runs the whole flow: PUT as a phone would, complete (HEAD + first bytes), variants written back to the bucket', async () => {
    const photo = await jpegWithGps(1200, 1600);
    const s = (await announce(alice, { kind: 'image', fileName: '광안리.jpg', mimeType: 'image/jpeg', size: photo.length }).expect(201))
      .body as Session;
    expect((await put(s, photo)).status).toBe(200);
    await complete(alice, s.mediaId).expect(202);
    const media = await settled(alice, s.mediaId);
    expect(media).toMatchObject({ status: 'READY', width: 1200, height: 1600 });
    for (const [name, w, h] of [
      ['thumbnail', 150, 150],
      ['preview', 600, 800],
      ['full', 1200, 1600],
    ] as const) {
      const url = new URL(media.urls[name]);
      expect(url.origin).toBe(s3.endpoint);
      const got = await fetch(url);
      expect(got.status).toBe(200);
      const meta = await sharp(Buffer.from(await got.arrayBuffer())).metadata();
      expect([name, meta.width, meta.height, meta.exif]).toEqual([name, w, h, undefined]);
    }
    expect(await driver().head(await keyOf(s.mediaId))).toEqual({ size: photo.length });
  });

  it('refuses an upload whose bytes are not the announced size or type, and deletes it from the bucket', async () => {
    const photo = await jpegWithGps(100, 100);
    // s3rver does not check the signed Content-Length (R2 and S3 do): the HEAD at completion catches it.
    const s = (await announce(alice, { kind: 'image', fileName: 'b.jpg', mimeType: 'image/jpeg', size: photo.length + 5 }).expect(201))
      .body as Session;
    expect((await put(s, photo)).status).toBe(200);
    const res = await complete(alice, s.mediaId).expect(400);
    expect(res.body.details[0].field).toBe('size');
    expect(await driver().head(await keyOf(s.mediaId))).toBeNull();

    const text = Buffer.from('hello, not a jpeg');
    const t2 = (await announce(alice, { kind: 'image', fileName: 'c.jpg', mimeType: 'image/jpeg', size: text.length }).expect(201))
      .body as Session;
    expect((await put(t2, text)).status).toBe(200);
    expect((await complete(alice, t2.mediaId).expect(400)).body.details[0].field).toBe('mimeType');
    expect(await driver().head(await keyOf(t2.mediaId))).toBeNull();
  });

  it('answers 409 for a complete before the PUT, 404 for someone else’s upload', async () => {
    const s = (await announce(alice, { kind: 'file', fileName: 'plan.pdf', mimeType: 'application/pdf', size: 9 }).expect(201))
      .body as Session;
    await complete(alice, s.mediaId).expect(409);
    await complete(bob, s.mediaId).expect(404);
    expect((await put(s, Buffer.from('%PDF-1.4\n'))).status).toBe(200);
    await complete(alice, s.mediaId).expect(202);
    const media = await settled(alice, s.mediaId);
    const got = await fetch(media.urls.full);
    expect([got.status, got.headers.get('content-type'), await got.text()]).toEqual([200, 'application/pdf', '%PDF-1.4\n']);
  });

  it('has the server refuse an expired presigned URL', async () => {
    const expired = await driver().presignUpload(`media/${alice.user.id}/expired/original.png`, {
      contentType: 'image/png',
      size: 4,
      expiresInSeconds: 1,
    });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await fetch(expired.url, { method: 'PUT', headers: expired.headers, body: Buffer.from('abcd') });
    expect(res.status).toBe(403);
    expect(await driver().head(`media/${alice.user.id}/expired/original.png`)).toBeNull();
  });
});
