import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/config/database.config';
import { createUser, planetWith, type UserFixture } from '../factories';
import { AppProcess, startAppProcess } from '../helpers/app-process';
import { Attempt, ChatTraffic, ReadinessProbe } from '../helpers/chat-traffic';
import { PrivatePostgres } from '../helpers/private-postgres';
import { ClientSocket, connectSocket, sleep } from '../helpers/socket';

/** The app node's bounds, short so the test stays short (production defaults: 3 s / 5 s / 6 s). */
const ACQUIRE_MS = 1000;
const STATEMENT_MS = 1000;
const QUERY_MS = 1500;
/** The longest a request may take while the database is frozen: a wait for a connection, then one unanswered query, plus slack for a loaded machine. */
const FROZEN_BOUND_MS = ACQUIRE_MS + QUERY_MS + 2000;

/**
 * A PostgreSQL of the test's own (never the shared one) is stopped, restarted, frozen (SIGSTOP)
 * and thawed under an app node (its own process) while a REST client and a socket client send
 * steadily, each message retried with its clientId until acknowledged.
 */
describe('an app node while its PostgreSQL is stopped and frozen', () => {
  let pg: PrivatePostgres;
  let ds: DataSource;
  let node: AppProcess;
  let alice: UserFixture; // REST
  let bob: UserFixture; // socket
  let planetId: number;
  let socket: ClientSocket | undefined;
  let traffic: ChatTraffic;
  let probe: ReadinessProbe;

  const ok = (a: Attempt) => (a.channel === 'rest' ? a.status === 201 : a.status === 200);
  const statusesOf = (as: Attempt[]) => [...new Set(as.map((a) => `${a.channel}:${a.status}${a.failure ? `(${a.failure})` : ''}`))].sort();
  /** Waits until both channels have had a successful send started after `from`; returns when. */
  const recovered = async (from: number, timeoutMs: number): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const done = traffic.since(from).filter(ok);
      if (done.some((a) => a.channel === 'rest') && done.some((a) => a.channel === 'socket'))
        return Math.max(
          ...['rest', 'socket'].map((c) => done.find((a) => a.channel === c)!.startedAt + done.find((a) => a.channel === c)!.ms),
        );
      await sleep(50);
    }
    throw new Error(`no successful send on both channels within ${timeoutMs} ms; saw ${statusesOf(traffic.since(from)).join(', ')}`);
  };

  beforeAll(async () => {
    pg = await PrivatePostgres.create(`connecto_fault_${randomBytes(4).toString('hex')}`);
    ds = createDataSource(pg.env(), { max: 2, min: 0 });
    await ds.initialize();
    [alice, bob] = await Promise.all([createUser(pg.env()), createUser(pg.env())]);
    planetId = await planetWith(alice, [bob]);
    node = await startAppProcess({
      database: pg.database,
      env: {
        DATABASE_PORT: String(pg.port),
        DATABASE_ACQUIRE_TIMEOUT: String(ACQUIRE_MS),
        DATABASE_STATEMENT_TIMEOUT: String(STATEMENT_MS),
        DATABASE_QUERY_TIMEOUT: String(QUERY_MS),
        LOG_LEVEL: 'warn',
        // Steady traffic from two users for a minute: above the default send limits, on purpose.
        RATE_LIMIT_SEND: '100000/60s',
        RATE_LIMIT_SOCKET_EVENTS: '100000/60s',
      },
    });
    socket = await connectSocket(node.url, bob.token);
    traffic = new ChatTraffic({ url: () => node.url, planetId, restAuth: alice.auth, socket: () => socket, intervalMs: 40 });
    probe = new ReadinessProbe(() => node.url, 200);
  }, 120_000);

  afterAll(async () => {
    traffic?.abort();
    probe?.stop();
    socket?.close();
    await pg?.thaw();
    await node?.stop('SIGTERM', 20_000);
    if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
    await pg?.destroy();
  }, 60_000);

  it('answers 503 with Retry-After while it is down or frozen, recovers by itself, and loses or duplicates nothing', async () => {
    traffic.start();
    probe.start();
    // At least 5 answered requests before the outage (a loaded machine may need more than 1 s for them).
    for (const until = Date.now() + 15_000; traffic.since(0).length <= 4 && Date.now() < until;) await sleep(100);
    const before = traffic.since(0);
    expect(before.length).toBeGreaterThan(4);
    expect(before.every(ok)).toBe(true);
    await probe.until(200, 0, 5000);

    // --- stopped: connection refused, sessions cut mid-query -------------------------------
    await pg.stop();
    const stoppedAt = Date.now();
    await sleep(2500);
    const restartAt = Date.now();
    const down = traffic.since(stoppedAt, restartAt);
    expect(down.filter((a) => a.channel === 'rest').length).toBeGreaterThanOrEqual(2);
    expect(down.filter((a) => a.channel === 'socket').length).toBeGreaterThanOrEqual(2);
    expect(statusesOf(down)).toEqual(['rest:503', 'socket:503']);
    expect(down.every((a) => a.retryAfter !== undefined && a.retryAfter > 0)).toBe(true);
    expect(probe.between(stoppedAt + 1200, restartAt)).toContain(503);
    expect(probe.between(stoppedAt + 1200, restartAt)).not.toContain(200);

    await pg.start();
    const backAt = await recovered(restartAt, 10_000);
    expect(backAt - restartAt).toBeLessThan(10_000);
    await probe.until(200, restartAt, 10_000);

    // --- frozen: the host answers nothing, TCP stays open -----------------------------------
    await sleep(500);
    await pg.freeze();
    const frozenAt = Date.now();
    await sleep(FROZEN_BOUND_MS + 4000);
    const thawAt = Date.now();
    const frozen = traffic.since(frozenAt, thawAt - FROZEN_BOUND_MS);
    expect(frozen.filter((a) => a.channel === 'rest').length).toBeGreaterThanOrEqual(1);
    expect(frozen.filter((a) => a.channel === 'socket').length).toBeGreaterThanOrEqual(1);
    expect(statusesOf(frozen)).toEqual(['rest:503', 'socket:503']);
    // nothing hung: every attempt that ran while it was frozen was answered within the bound
    const slowest = Math.max(...traffic.since(frozenAt - 200, thawAt - FROZEN_BOUND_MS).map((a) => a.ms));
    expect(slowest).toBeLessThanOrEqual(FROZEN_BOUND_MS);
    expect(probe.between(frozenAt + 2000, thawAt)).toContain(503);
    expect(probe.between(frozenAt + 2000, thawAt)).not.toContain(200);

    await pg.thaw();
    const thawedBackAt = await recovered(thawAt, 10_000);
    expect(thawedBackAt - thawAt).toBeLessThan(10_000);
    await probe.until(200, thawAt, 10_000);

    // --- afterwards: every acknowledged message is stored once, every message was acknowledged
    await sleep(500);
    await traffic.stop();
    probe.stop();
    expect(traffic.attempts.filter((a) => a.status !== 0 && ![200, 201, 503].includes(a.status))).toEqual([]);
    expect(traffic.attempts.filter((a) => a.status === 0)).toEqual([]);
    const retried = new Set(traffic.attempts.filter((a) => !ok(a)).map((a) => a.clientId));
    expect(retried.size).toBeGreaterThanOrEqual(4);

    const rows = await ds.query<{ id: string; client_id: string }[]>('SELECT id::text, client_id FROM message WHERE planet_id = $1', [
      planetId,
    ]);
    const byClientId = new Map<string, string[]>();
    for (const r of rows) byClientId.set(r.client_id, [...(byClientId.get(r.client_id) ?? []), r.id]);
    for (const a of traffic.acked)
      expect({ clientId: a.clientId, ids: byClientId.get(a.clientId) }).toEqual({ clientId: a.clientId, ids: [a.id] });
    expect(rows.length).toBe(traffic.acked.length);
    expect(new Set(traffic.acked.map((a) => a.clientId)).size).toBe(traffic.acked.length);
    expect(node.output()).not.toMatch(/(POST|GET) \S+ failed|socket event failed|unhandled promise rejection/);
  }, 120_000);
});
