import { DataSource } from 'typeorm';
import { User } from '../../src/modules/user/user.entity';
import { FACTORY_PASSWORD, createUser, planetWith, type UserFixture } from '../factories';
import { ClientSocket, connectSocket, emitAck, sleep, SocketRecorder } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

interface ErrorAck {
  ok: false;
  error: { statusCode: number; error: string; message: string; retryAfter?: number };
}

/** Small limits, so floods are short; every test uses its own IPs and users, so buckets never mix. */
const LIMITS = {
  RATE_LIMIT_AUTH_IP: '4/60s',
  RATE_LIMIT_LOGIN_FAILURES: '3/1h',
  RATE_LIMIT_SEND: '5/60s',
  RATE_LIMIT_EDIT: '2/60s',
  RATE_LIMIT_READ: '3/60s',
  RATE_LIMIT_SEARCH: '2/60s',
  RATE_LIMIT_SOCKET_EVENTS: '4/60s',
  RATE_LIMIT_TYPING: '2/60s',
};

describe('rate limits (one node)', () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let dave: UserFixture;
  let planetId: number;
  const sockets: ClientSocket[] = [];

  const open = async (u: UserFixture) => {
    const s = await connectSocket(t.url, u.token);
    sockets.push(s);
    return new SocketRecorder(s);
  };
  /** Requests from `ip`, as the load balancer on loopback forwards them (trust proxy honours X-Forwarded-For from loopback). */
  const login = (ip: string, email: string, password: string) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });
  const send = (u: UserFixture, content: string) => t.http.post(`/api/v1/planets/${planetId}/messages`).set(u.auth).send({ content });
  const messagesBy = async (u: UserFixture): Promise<number> => {
    const [row] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM message WHERE sender_id = $1', [u.user.id]);
    return row.n as number;
  };
  const expectRateLimited = (
    res: { status: number; headers: Record<string, string>; body: unknown },
    message: RegExp,
    maxSeconds: number,
  ) => {
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(message) });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
    expect((res.body as { message: string }).message).toContain(`try again in ${retryAfter} s`);
  };

  beforeAll(async () => {
    t = await startTestApp({ tag: 'ratelimit', env: LIMITS });
    [alice, bob, carol, dave] = await Promise.all([createUser(t.env), createUser(t.env), createUser(t.env), createUser(t.env)]);
    planetId = await planetWith(alice, [bob, carol, dave]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  describe('auth/* per IP', () => {
    it('answers 429 with Retry-After in the one error shape once an IP has used its budget, and other IPs are unaffected', async () => {
      for (let i = 0; i < 4; i++) expect((await login('203.0.113.7', `nobody-${i}@example.com`, 'wrong password')).status).toBe(401);
      expectRateLimited(
        await login('203.0.113.7', 'nobody-5@example.com', 'wrong password'),
        /^Too many auth requests from this address/,
        15,
      );
      expect((await login('203.0.113.8', 'nobody-6@example.com', 'wrong password')).status).toBe(401);
    });

    it('covers every auth route, and a refused register writes nothing', async () => {
      const ip = '203.0.113.9';
      await t.http
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', ip)
        .send({ refreshToken: 'x'.repeat(40) })
        .expect(401);
      await t.http
        .post('/api/v1/auth/logout')
        .set('X-Forwarded-For', ip)
        .send({ refreshToken: 'x'.repeat(40) });
      await t.http
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', ip)
        .send({ email: 'first@example.com', password: 'connecto123!', nickname: '첫째' })
        .expect(201);
      await login(ip, 'first@example.com', 'connecto123!').expect(200);
      const refused = await t.http
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', ip)
        .send({ email: 'second@example.com', password: 'connecto123!', nickname: '둘째' });
      expectRateLimited(refused, /auth requests/, 15);
      expect(await User.findByEmailWithSecret('second@example.com')).toBeNull();
    });

    it('counts an IPv6 client by its /64', async () => {
      for (let i = 1; i <= 4; i++) expect((await login(`2001:db8:1:2::${i}`, `v6-${i}@example.com`, 'wrong password')).status).toBe(401);
      expect((await login('2001:db8:1:2:ffff:ffff:ffff:ffff', 'v6-5@example.com', 'wrong password')).status).toBe(429);
      expect((await login('2001:db8:1:3::1', 'v6-6@example.com', 'wrong password')).status).toBe(401);
    });
  });

  describe('failed logins per account', () => {
    it('locks the account after its failures even when each guess comes from another IP, and the right password then waits too', async () => {
      const victim = await createUser(t.env);
      for (let i = 1; i <= 3; i++) expect((await login(`198.51.100.${i}`, victim.user.email, `guess ${i}`)).status).toBe(401);
      const locked = await login('198.51.100.4', victim.user.email, FACTORY_PASSWORD);
      expectRateLimited(locked, /^Too many failed logins for this account/, 1200);
      // Spellings of the same address share the bucket.
      expect((await login('198.51.100.5', `  ${victim.user.email.toUpperCase()}\u200b`, 'guess 5')).status).toBe(429);
      // Another account from the same IPs is unaffected.
      await login('198.51.100.6', alice.user.email, FACTORY_PASSWORD).expect(200);
    });

    it('does not count successful logins or malformed requests', async () => {
      const regular = await createUser(t.env);
      for (let i = 1; i <= 4; i++) await login(`192.0.2.${i}`, regular.user.email, FACTORY_PASSWORD).expect(200);
      for (let i = 5; i <= 8; i++)
        await t.http.post('/api/v1/auth/login').set('X-Forwarded-For', `192.0.2.${i}`).send({ email: regular.user.email }).expect(400);
      for (let i = 9; i <= 10; i++) expect((await login(`192.0.2.${i}`, regular.user.email, 'wrong')).status).toBe(401);
      await login('192.0.2.11', regular.user.email, FACTORY_PASSWORD).expect(200);
    });
  });

  describe('per user over REST', () => {
    it('refuses a send flood with 429 and stores only what it accepted; another user is unaffected', async () => {
      const before = await messagesBy(alice);
      const results = await Promise.all(Array.from({ length: 9 }, (_, i) => send(alice, `flood ${i}`)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429, 429]);
      expectRateLimited(
        results.find((r) => r.status === 429)!,
        /^Too many messages sent/,
        12,
      );
      expect(await messagesBy(alice)).toBe(before + 5);
      await send(bob, '나는 괜찮아').expect(201);
    });

    it('limits edits and leaves a refused edit unwritten', async () => {
      const id = (await send(bob, 'v0').expect(201)).body.id as string;
      for (const content of ['v1', 'v2']) await t.http.patch(`/api/v1/messages/${id}`).set(bob.auth).send({ content }).expect(200);
      expectRateLimited(await t.http.patch(`/api/v1/messages/${id}`).set(bob.auth).send({ content: 'v3' }), /^Too many message edits/, 30);
      const [row] = await t.app.get(DataSource).query('SELECT content FROM message WHERE id = $1', [id]);
      expect(row.content).toBe('v2');
    });

    it('limits searches per user', async () => {
      for (let i = 0; i < 2; i++) await t.http.get('/api/v1/messages/search').query({ query: '부산' }).set(dave.auth).expect(200);
      expectRateLimited(await t.http.get('/api/v1/messages/search').query({ query: '부산' }).set(dave.auth), /^Too many searches/, 30);
      await t.http.get('/api/v1/messages/search').query({ query: '부산' }).set(carol.auth).expect(200);
    });
  });

  describe('per socket and per user over Socket.IO', () => {
    it('answers a message:send flood with 429 error acks, stores nothing refused, and keeps the socket connected', async () => {
      const c = await open(carol);
      const before = await messagesBy(carol);
      const acks = await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          emitAck<{ ok: boolean } | ErrorAck>(c.socket, 'message:send', { planetId, content: `socket flood ${i}` }),
        ),
      );
      const refused = acks.filter((a): a is ErrorAck => !a.ok);
      expect(acks.filter((a) => a.ok)).toHaveLength(4);
      expect(refused).toHaveLength(3);
      for (const r of refused) {
        expect(r.error).toEqual({
          statusCode: 429,
          error: 'Too Many Requests',
          message: expect.stringMatching(/^Too many events on this connection/),
          retryAfter: expect.any(Number),
        });
        expect(r.error.retryAfter).toBeGreaterThanOrEqual(1);
      }
      expect(await messagesBy(carol)).toBe(before + 4);
      // Still connected: events keep arriving.
      expect(c.socket.connected).toBe(true);
      const m = (await send(bob, '아직 연결돼 있어?').expect(201)).body as { id: string };
      await c.next<{ id: string }>('message:new', (x) => x.id === m.id);
      expect(c.socket.connected).toBe(true);
    });

    it('counts sends per user across sockets and REST', async () => {
      const second = await open(carol); // a new connection has its own socket budget, not its own user budget
      expect(await emitAck(second.socket, 'message:send', { planetId, content: 'fifth' })).toMatchObject({ ok: true });
      const ack = await emitAck<ErrorAck>(second.socket, 'message:send', { planetId, content: 'sixth' });
      expect(ack).toMatchObject({ ok: false, error: { statusCode: 429, message: expect.stringMatching(/^Too many messages sent/) } });
      expectRateLimited(await send(carol, 'over REST'), /^Too many messages sent/, 12);
    });

    it('counts read receipts per user across REST and sockets', async () => {
      const messageId = (await send(dave, '읽어 주세요').expect(201)).body.id as string;
      for (let i = 0; i < 3; i++) await t.http.post(`/api/v1/planets/${planetId}/read`).set(bob.auth).send({ messageId }).expect(204);
      expectRateLimited(
        await t.http.post(`/api/v1/planets/${planetId}/read`).set(bob.auth).send({ messageId }),
        /^Too many read receipts/,
        20,
      );
      const b = await open(bob);
      expect(await emitAck(b.socket, 'message:read', { planetId, messageId })).toMatchObject({ ok: false, error: { statusCode: 429 } });
    });

    it('drops a typing flood past the per-socket budget', async () => {
      const watcher = await open(alice);
      const typist = await open(dave);
      for (let i = 0; i < 10; i++) typist.socket.emit('typing:start', { planetId });
      await watcher.next('typing');
      await sleep(400);
      expect(watcher.of('typing')).toHaveLength(2);
      expect(typist.socket.connected).toBe(true);
    });
  });
});
