import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { EXAMPLE_SECRETS } from '../../src/config/env';
import { AppProcess, startAppProcess } from '../helpers/app-process';
import { connectSocket, SocketRecorder } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createSuiteDatabase, dropDatabase, testEnv } from '../helpers/test-db';

/** Tokens and accounts (issue #7, part 5): each of these was accepted on the main before it. */
const forge = (secret: string, payload: object, opts: { expiresIn?: number } = { expiresIn: 600 }) =>
  new JwtService({ secret }).sign({ typ: 'access', ...payload }, { algorithm: 'HS256', ...opts });

describe('tokens and accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ tag: 'hardauth', env: { ACCOUNT_STATUS_TTL_MS: '300' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (email: string, password = 'connecto123!') =>
    t.http.post('/api/v1/auth/register').send({ email, password, nickname: '여행자' });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('refuses a token without exp, even one signed with the right secret', async () => {
    const user = (await register('noexp@example.com').expect(201)).body.user as { id: number; email: string };
    const token = forge(t.env.JWT_ACCESS_SECRET, { sub: user.id, email: user.email }, {});
    const res = await t.http.get('/api/v1/users/me').set(bearer(token)).expect(401);
    expect(res.body.message).toBe('Invalid access token: it has no expiry');
    await expect(connectSocket(t.url, token)).rejects.toThrow('Invalid access token: it has no expiry');
  });

  it('refuses the example secrets outside NODE_ENV=test at app creation', async () => {
    await expect(createApp(testEnv({ NODE_ENV: 'development' }))).rejects.toThrow(
      /JWT_ACCESS_SECRET, REFRESH_TOKEN_PEPPER, STORAGE_SIGNING_SECRET hold the example value/,
    );
  });

  it("stops a deleted account's access token at once over REST and closes its sockets", async () => {
    const reg = (await register('gone@example.com').expect(201)).body as { accessToken: string; refreshToken: string };
    const socket = await connectSocket(t.url, reg.accessToken);
    const rec = new SocketRecorder(socket);
    const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
    await t.http.delete('/api/v1/users/me').set(bearer(reg.accessToken)).expect(204);
    await expect(rec.next('auth:revoked')).resolves.toEqual({ message: 'This account was deleted' });
    await expect(closed).resolves.toBe('io server disconnect');
    const write = await t.http
      .post('/api/v1/travels')
      .set(bearer(reg.accessToken))
      .send({ title: '유령 여행', visibility: 'PUBLIC' })
      .expect(401);
    expect(write.body.message).toBe('The account of this token no longer exists');
    await expect(connectSocket(t.url, reg.accessToken)).rejects.toThrow('The account of this token no longer exists');
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: reg.refreshToken }).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: 'gone@example.com', password: 'connecto123!' }).expect(401);
  });

  it('refuses the token of an account deleted in SQL (not through the API) within ACCOUNT_STATUS_TTL_MS', async () => {
    const reg = (await register('sqlgone@example.com').expect(201)).body as { accessToken: string; user: { id: number } };
    await t.http.get('/api/v1/users/me').set(bearer(reg.accessToken)).expect(200);
    await t.app.get(DataSource).query('UPDATE "user" SET deleted_at = now() WHERE id = $1', [reg.user.id]);
    await new Promise((r) => setTimeout(r, 400));
    await t.http.post('/api/v1/travels').set(bearer(reg.accessToken)).send({ title: '유령', visibility: 'PUBLIC' }).expect(401);
  });

  it('refuses, at login, a password longer than bcrypt can check instead of matching its first 72 bytes', async () => {
    const password = 'p'.repeat(72);
    await register('long@example.com', password).expect(201);
    await t.http.post('/api/v1/auth/login').send({ email: 'long@example.com', password }).expect(200);
    const longer = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'long@example.com', password: `${password}-anything` })
      .expect(400);
    expect(longer.body.details[0].field).toBe('password');
    await register('longer@example.com', `${password}x`).expect(400);
    // 24 Hangul syllables are 72 bytes: the limit is bytes, not characters.
    await register('hangul@example.com', '가'.repeat(25)).expect(400);
  });

  it.each([
    ['a zero-width space', 'twin\u200b@example.com'],
    ['a full-width letter', 'ｔwin@example.com'],
    ['upper case and spaces', '  TWIN@Example.COM '],
    ['a soft hyphen', 'tw\u00adin@example.com'],
  ])('treats an email with %s as the same account', async (_what, lookAlike) => {
    await register('twin@example.com');
    const res = await register(lookAlike).expect(409);
    expect(res.body.details[0].field).toBe('email');
    await t.http.post('/api/v1/auth/login').send({ email: lookAlike, password: 'connecto123!' }).expect(200);
  });

  it('treats a decomposed é as the composed one', async () => {
    await register('caf\u00e9@example.com').expect(201);
    await register('cafe\u0301@example.com').expect(409);
  });
});

describe('account deletion across two nodes (separate processes)', () => {
  let database: string;
  let nodes: AppProcess[] = [];
  beforeAll(async () => {
    database = await createSuiteDatabase('revoke2');
    // A long TTL: only the Redis announcement can make node B notice in time.
    const env = { ACCOUNT_STATUS_TTL_MS: '3600000' };
    nodes = await Promise.all([startAppProcess({ database, env }), startAppProcess({ database, env })]);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await dropDatabase(database);
  });

  it('refuses the token on the other node on the very next request and closes its socket there', async () => {
    const [a, b] = nodes;
    const post = (url: string, path: string, body: object, token?: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const reg = (await (
      await post(a.url, '/api/v1/auth/register', { email: 'twonode@example.com', password: 'connecto123!', nickname: '둘' })
    ).json()) as { accessToken: string };
    // Node B has seen the account live (and would trust that for an hour).
    expect((await post(b.url, '/api/v1/travels', { title: '첫 여행', visibility: 'PUBLIC' }, reg.accessToken)).status).toBe(201);
    const socket = await connectSocket(b.url, reg.accessToken);
    const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
    const del = await fetch(`${a.url}/api/v1/users/me`, { method: 'DELETE', headers: { Authorization: `Bearer ${reg.accessToken}` } });
    expect(del.status).toBe(204);
    expect((await post(b.url, '/api/v1/travels', { title: '유령 여행', visibility: 'PUBLIC' }, reg.accessToken)).status).toBe(401);
    await expect(closed).resolves.toBe('io server disconnect');
  });
});

describe('development secrets (src/main.ts as `npm run dev` runs it)', () => {
  let database: string;
  let dir: string;
  let node: AppProcess | undefined;
  beforeAll(async () => {
    database = await createSuiteDatabase('devsecrets');
    dir = mkdtempSync(join(tmpdir(), 'connecto-secrets-'));
  });
  afterAll(async () => {
    await node?.stop();
    await dropDatabase(database);
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates random secrets at first start, keeps them, and refuses tokens forged with the example secret', async () => {
    const file = join(dir, 'dev-secrets.json');
    node = await startAppProcess({ database, env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', DEV_SECRETS_FILE: file } });
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual(['JWT_ACCESS_SECRET', 'REFRESH_TOKEN_PEPPER', 'STORAGE_SIGNING_SECRET']);
    expect(Object.values(stored).every((v) => v.length >= 32 && !EXAMPLE_SECRETS.includes(v))).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(node.output()).toContain(`using development secrets generated into ${file}`);

    const reg = await fetch(`${node.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'dev@example.com', password: 'connecto123!', nickname: '개발' }),
    });
    const { user, accessToken } = (await reg.json()) as { user: { id: number; email: string }; accessToken: string };
    const forged = forge(EXAMPLE_SECRETS[0], { sub: user.id, email: user.email });
    const me = (token: string) =>
      fetch(`${node!.url}/api/v1/users/me`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await me(forged)).toBe(401);
    expect(await me(accessToken)).toBe(200);

    // A restart reads the same file: tokens issued before it stay valid.
    await node.stop();
    node = await startAppProcess({ database, env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', DEV_SECRETS_FILE: file } });
    expect(node.output()).toContain(`using development secrets from ${file}`);
    expect(await me(accessToken)).toBe(200);
  });
});
