import Redis from 'ioredis';
import { FACTORY_PASSWORD, createUser, planetWith, type UserFixture } from '../factories';
import { AppProcess, startAppProcess } from '../helpers/app-process';
import { ClientSocket, connectSocket, emitAck } from '../helpers/socket';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

/**
 * Two app nodes, each its own OS process, on one database and one Redis key prefix, as behind the
 * load balancer. Requests alternate between them: each limit must hold for the pair, so a client
 * cannot double its budget by landing on both nodes.
 */
describe('rate limits across two app instances sharing Redis', () => {
  let db: SuiteDb;
  let prefix: string;
  let nodes: AppProcess[] = [];
  let alice: UserFixture;
  let bob: UserFixture;
  let planetId: number;
  const sockets: ClientSocket[] = [];

  /** The node serving the i-th request: 0, 1, 0, 1, … */
  const node = (i: number) => nodes[i % 2];
  const post = (i: number, path: string, body: object, headers: Record<string, string>) =>
    fetch(`${node(i).url}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    db = await openSuiteDb('rlmulti');
    prefix = `test:${db.name}:`;
    const env = {
      RATE_LIMIT_AUTH_IP: '4/60s',
      RATE_LIMIT_LOGIN_FAILURES: '3/1h',
      RATE_LIMIT_SEND: '6/60s',
      RATE_LIMIT_READ: '4/60s',
    };
    nodes = await Promise.all([0, 1].map(() => startAppProcess({ database: db.name, redisKeyPrefix: prefix, env })));
    [alice, bob] = await Promise.all([createUser(db.env), createUser(db.env)]);
    planetId = await planetWith(alice, [bob]);
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(nodes.map((n) => n.stop()));
    const redis = new Redis({ host: db.env.REDIS_HOST, port: db.env.REDIS_PORT });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    await db.close();
  });

  it('holds the per-user send limit for the pair, and stores only the accepted sends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await post(i, `planets/${planetId}/messages`, { content: `교대로 ${i}` }, { authorization: `Bearer ${alice.token}` });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(await res.json()).toMatchObject({
          statusCode: 429,
          error: 'Too Many Requests',
          message: expect.stringMatching(/^Too many messages sent/),
        });
      }
    }
    // Per node, each would have accepted its 5; together they accept 6 and refuse on both nodes.
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429, 429, 429, 429]);
    const [row] = await db.dataSource.query('SELECT count(*)::int AS n FROM message WHERE sender_id = $1', [alice.user.id]);
    expect(row.n).toBe(6);
    expect((await post(0, `planets/${planetId}/messages`, { content: '다른 사람' }, { authorization: `Bearer ${bob.token}` })).status).toBe(
      201,
    );
  });

  it('holds the auth per-IP limit for the pair', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post(
        i,
        'auth/login',
        { email: `nobody-${i}@example.com`, password: 'wrong password' },
        { 'x-forwarded-for': '203.0.113.50' },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('holds the failed-login limit of an account for the pair, whatever the IPs', async () => {
    const victim = await createUser(db.env);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await post(i, 'auth/login', { email: victim.user.email, password: `guess ${i}` }, { 'x-forwarded-for': `198.51.100.${i + 1}` }))
          .status,
      );
    for (let i = 3; i < 5; i++)
      statuses.push(
        (
          await post(
            i,
            'auth/login',
            { email: victim.user.email, password: FACTORY_PASSWORD },
            { 'x-forwarded-for': `198.51.100.${i + 1}` },
          )
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('holds the per-user read limit for one user with a socket on each node', async () => {
    const messageId = String(
      (
        (await (await post(1, `planets/${planetId}/messages`, { content: '읽어요' }, { authorization: `Bearer ${bob.token}` })).json()) as {
          id: string;
        }
      ).id,
    );
    const onNode = await Promise.all(nodes.map((n) => connectSocket(n.url, alice.token)));
    sockets.push(...onNode);
    const acks: { ok: boolean; error?: { statusCode: number } }[] = [];
    for (let i = 0; i < 6; i++) acks.push(await emitAck(onNode[i % 2], 'message:read', { planetId, messageId }));
    expect(acks.map((a) => (a.ok ? 'ok' : a.error?.statusCode))).toEqual(['ok', 'ok', 'ok', 'ok', 429, 429]);
    expect(onNode.every((s) => s.connected)).toBe(true);
  });
});
