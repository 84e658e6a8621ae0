import { Socket } from 'node:net';
import { connectSocket, emitAck } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Hostile input (issue #7, part 1): every case here answered 500, hung or was misread on the main
 * before it. Each must be a 4xx in the one error shape, naming the field where there is one.
 */
const deep = (levels: number, leaf = '1') => '['.repeat(levels) + leaf + ']'.repeat(levels);
const errorShape = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

describe('hostile input', () => {
  let t: TestApp;
  let token: string;
  let planetId: number;

  beforeAll(async () => {
    t = await startTestApp({ tag: 'hardinput', env: { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' } });
    const reg = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'hard@example.com', password: 'connecto123!', nickname: '하드' })
      .expect(201);
    token = reg.body.accessToken as string;
    const travel = await t.http
      .post('/api/v1/travels')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: '부산', visibility: 'PUBLIC' })
      .expect(201);
    planetId = (
      await t.http
        .post(`/api/v1/travels/${travel.body.id}/planets`)
        .set('Authorization', `Bearer ${token}`)
        .send({ name: '방' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const auth = () => ({ Authorization: `Bearer ${token}` });
  const rawJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    t.http
      .post(path)
      .set({ 'Content-Type': 'application/json', ...headers })
      .send(body);

  describe('JSON nesting and size', () => {
    it('refuses a deeply nested body without a token with 400 naming the body, not 500', async () => {
      const res = await rawJson('/api/v1/auth/login', `{"email":${deep(5000)},"password":"x"}`).expect(400);
      expect(res.body).toEqual({
        ...errorShape,
        statusCode: 400,
        details: [{ field: 'body', problem: 'is nested deeper than 16 levels' }],
      });
    });

    it('refuses a body near the size limit made of nesting (the costly case) with 400', async () => {
      const res = await rawJson('/api/v1/auth/login', `{"a":${deep(120_000)}}`).expect(400);
      expect(res.body.details[0].field).toBe('body');
    });

    it('refuses a flat body with too many values with 400', async () => {
      const res = await rawJson(
        '/api/v1/auth/login',
        JSON.stringify({ email: 'a@b.co', password: 'x', junk: Array.from({ length: 5000 }, (_, i) => i) }),
      ).expect(400);
      expect(res.body.details).toEqual([{ field: 'body', problem: 'has more than 1000 values' }]);
    });

    it('still accepts ordinary bodies', async () => {
      await t.http.post(`/api/v1/planets/${planetId}/messages`).set(auth()).send({ content: '내일 봐요', mediaIds: [] }).expect(201);
    });

    it('answers deeply nested socket payloads of message:send and message:read with a 400 ack', async () => {
      const socket = await connectSocket(t.url, token);
      try {
        const nested = JSON.parse(deep(3000, '{}')) as unknown;
        const send = await emitAck<{ ok: boolean; error: { statusCode: number; details?: unknown } }>(socket, 'message:send', {
          planetId,
          content: '안녕',
          extra: nested,
        });
        expect(send).toEqual({
          ok: false,
          error: {
            statusCode: 400,
            message: expect.stringContaining('nested deeper'),
            details: [{ field: 'payload', problem: 'is nested deeper than 16 levels' }],
          },
        });
        const read = await emitAck<{ ok: boolean; error: { statusCode: number } }>(socket, 'message:read', { planetId, messageId: nested });
        expect(read.ok).toBe(false);
        expect(read.error.statusCode).toBe(400);
        // The connection survives and still works.
        const ok = await emitAck<{ ok: boolean }>(socket, 'message:send', { planetId, content: '아직 연결됨' });
        expect(ok.ok).toBe(true);
      } finally {
        socket.close();
      }
    });
  });

  describe('Unicode edge cases', () => {
    it('refuses a lone surrogate in an email at register with 400 naming email (was a URIError 500)', async () => {
      const res = await rawJson('/api/v1/auth/register', '{"email":"\\ud800@x.com","password":"connecto123!","nickname":"n"}').expect(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email' })]));
    });

    it('refuses a lone surrogate in login, message content, nickname and search with 400 naming the field', async () => {
      const login = await rawJson('/api/v1/auth/login', '{"email":"a@x.com","password":"\\udfff-password"}').expect(400);
      expect(login.body.details[0].field).toBe('password');
      const send = await rawJson(`/api/v1/planets/${planetId}/messages`, '{"content":"안녕\\ud83d"}', auth()).expect(400);
      expect(send.body.details).toEqual([{ field: 'content', problem: 'must be valid Unicode text (it contains an unpaired surrogate)' }]);
      const nick = await t.http.patch('/api/v1/users/me/profile').set(auth()).send({ nickname: 'a\ud800' }).expect(400);
      expect(nick.body.details[0].field).toBe('nickname');
      const search = await t.http.get(`/api/v1/messages/search?query=${encodeURIComponent('부산')}%ED%A0%80`).set(auth());
      expect(search.status).toBeLessThan(500);
    });

    it('refuses NUL and control characters, and invisible characters in names', async () => {
      const nul = await t.http.post(`/api/v1/planets/${planetId}/messages`).set(auth()).send({ content: 'a\u0000b' }).expect(400);
      expect(nul.body.details[0]).toEqual({ field: 'content', problem: 'must not contain NUL characters' });
      const bell = await t.http.post(`/api/v1/planets/${planetId}/messages`).set(auth()).send({ content: 'a\u0007b' }).expect(400);
      expect(bell.body.details[0].field).toBe('content');
      const zws = await t.http.patch('/api/v1/users/me/profile').set(auth()).send({ nickname: '민\u200b지' }).expect(400);
      expect(zws.body.details[0]).toEqual({
        field: 'nickname',
        problem: 'must not contain invisible characters (zero-width spaces, bidi controls)',
      });
      const bidi = await t.http.post('/api/v1/travels').set(auth()).send({ title: 'evil\u202Etxt.exe', visibility: 'PUBLIC' }).expect(400);
      expect(bidi.body.details[0].field).toBe('title');
    });

    it('keeps emoji sequences (ZWJ) and line breaks in message content', async () => {
      const family = '가족 👨\u200d👩\u200d👧 여행\n둘째 줄';
      const res = await t.http.post(`/api/v1/planets/${planetId}/messages`).set(auth()).send({ content: family }).expect(201);
      expect(res.body.content).toBe(family);
    });
  });

  describe('ids in paths and queries', () => {
    it.each(['0x1', '1e0', '+1', '1.0', '1%0A', '%201', '01', '0', '-1', '2147483648', '１'])(
      'refuses the path id %s with 400 naming id',
      async (id) => {
        const res = await t.http.get(`/api/v1/travels/${id}`).set(auth()).expect(400);
        expect(res.body.details).toEqual([{ field: 'id', problem: 'must be a positive integer id' }]);
      },
    );

    it('refuses odd spellings of integers in queries', async () => {
      for (const q of ['limit=0x1', 'limit=1e1', 'limit=+5', 'limit=%205', 'cursor=1.0', 'limit=']) {
        const res = await t.http.get(`/api/v1/travels?${q}`).set(auth());
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
      }
      const search = await t.http
        .get(`/api/v1/messages/search?query=${encodeURIComponent('부산')}&planetId=0x1`)
        .set(auth())
        .expect(400);
      expect(search.body.details[0].field).toBe('planetId');
      await t.http.get('/api/v1/travels?limit=5').set(auth()).expect(200);
    });
  });

  describe("Node's own HTTP limits", () => {
    it('answers a 100 KB header with 431 in the error shape (not an empty body)', async () => {
      const res = await rawHttp(t.url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
      expect(res.status).toBe(431);
      expect(JSON.parse(res.body)).toEqual({
        statusCode: 431,
        error: 'Request Header Fields Too Large',
        message: 'Request headers too large',
      });
    });

    it('closes a connection whose headers trickle in past HTTP_HEADERS_TIMEOUT_MS with 408', async () => {
      const started = Date.now();
      const res = await rawHttp(t.url, 'GET /health HTTP/1.1\r\nHost: x\r\n', { trickle: 'X-Slow: 1\r\n', everyMs: 300, maxMs: 8000 });
      expect(res.status).toBe(408);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('closes a connection whose body trickles in past HTTP_REQUEST_TIMEOUT_MS with 408', async () => {
      const started = Date.now();
      const head = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
      const res = await rawHttp(t.url, head, { trickle: ' ', everyMs: 200, maxMs: 10000 });
      expect(res.status).toBe(408);
      expect(JSON.parse(res.body)).toMatchObject({ statusCode: 408 });
      expect(Date.now() - started).toBeLessThan(6000);
    });
  });
});

/** Writes raw bytes (then optionally trickles more) and resolves with the status and body the server sent before closing. */
function rawHttp(
  url: string,
  first: string,
  opts: { trickle?: string; everyMs?: number; maxMs?: number } = {},
): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let data = '';
    let timer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open for ${opts.maxMs} ms`));
    }, opts.maxMs ?? 5000);
    const finish = () => {
      clearInterval(timer);
      clearTimeout(deadline);
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: rest.join('\r\n\r\n') });
    };
    socket.on('data', (d) => (data += d.toString()));
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.connect(Number(port), '127.0.0.1', () => {
      socket.write(first);
      if (opts.trickle) timer = setInterval(() => socket.writable && socket.write(opts.trickle as string), opts.everyMs ?? 200);
    });
  });
}
