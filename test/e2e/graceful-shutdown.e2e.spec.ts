import { Client } from 'pg';
import { createMessage, createUser, planetWith, watermark, type UserFixture } from '../factories';
import { AppProcess, startAppProcess } from '../helpers/app-process';
import { ChatTraffic } from '../helpers/chat-traffic';
import { ClientSocket, connectSocket, emitAck, sleep, SocketRecorder } from '../helpers/socket';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

const DRAIN_TIMEOUT_MS = 8000;
/** shutdownBoundMs: delay + drain timeout + 5 s for the close hooks. */
const boundMs = (delayMs: number) => delayMs + DRAIN_TIMEOUT_MS + 5000;

interface Outcome {
  what: string;
  status: number | 'error';
  detail?: string;
  clientId?: string;
  id?: string;
}

/**
 * SIGTERM during traffic, three times, each time to a fresh node (its own process) on the same
 * database. Every round holds a table lock in PostgreSQL so that sends and reads are certainly in
 * flight inside the server when the signal arrives, releases it during the drain, and checks what
 * every client got; steady background traffic (retrying with its clientId, on the next node once
 * one is up) runs through all rounds.
 */
describe('SIGTERM while requests and socket events are in flight', () => {
  let db: SuiteDb;
  let alice: UserFixture; // REST
  let bob: UserFixture; // socket
  let planetId: number;
  let node: AppProcess | undefined;
  let socket: ClientSocket | undefined;
  const noticed = new WeakSet<ClientSocket>();
  let traffic: ChatTraffic;
  const nodes: AppProcess[] = [];

  const start = async (delayMs: number) => {
    node = await startAppProcess({
      database: db.name,
      env: {
        SHUTDOWN_DELAY_MS: String(delayMs),
        SHUTDOWN_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
        DATABASE_MAX_CONNECTIONS: '30',
        // locks are held for seconds below: keep the database bounds out of the way
        DATABASE_ACQUIRE_TIMEOUT: '15000',
        DATABASE_STATEMENT_TIMEOUT: '20000',
        DATABASE_QUERY_TIMEOUT: '25000',
        LOG_LEVEL: 'warn',
      },
    });
    nodes.push(node);
    const s = await connectSocket(node.url, bob.token);
    // A client stops sending on a socket that announced its shutdown (and reconnects elsewhere).
    s.on('server:shutdown', () => noticed.add(s));
    socket = s;
    return { node, socket: s, recorder: new SocketRecorder(s) };
  };

  /** A transaction that blocks every write to messages and read receipts until it ends. */
  const lockWrites = async () => {
    const client = new Client({ host: db.env.DATABASE_HOST, port: db.env.DATABASE_PORT, user: db.env.DATABASE_USER, database: db.name });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE message, message_read_receipt IN EXCLUSIVE MODE');
    return {
      release: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  };

  const waitingOnLocks = async (): Promise<number> => {
    const [row] = await db.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND application_name = 'connecto-api'",
      [db.name],
    );
    return row.n;
  };

  const restSend = async (url: string, clientId: string): Promise<Outcome> => {
    try {
      const res = await fetch(`${url}/api/v1/planets/${planetId}/messages`, {
        method: 'POST',
        headers: { ...alice.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ content: `in flight ${clientId}`, clientId }),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await res.json()) as { id?: string };
      return { what: 'rest send', status: res.status, clientId, id: body.id };
    } catch (err) {
      return { what: 'rest send', status: 'error', detail: String((err as Error).cause ?? err), clientId };
    }
  };
  const restRead = async (url: string, messageId: string): Promise<Outcome> => {
    try {
      const res = await fetch(`${url}/api/v1/planets/${planetId}/read`, {
        method: 'POST',
        headers: { ...alice.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ messageId }),
        signal: AbortSignal.timeout(20_000),
      });
      return { what: 'rest read', status: res.status };
    } catch (err) {
      return { what: 'rest read', status: 'error', detail: String((err as Error).cause ?? err) };
    }
  };
  const socketEmit = async (s: ClientSocket, event: string, payload: Record<string, unknown>): Promise<Outcome> => {
    try {
      const ack = await emitAck<{ ok: boolean; message?: { id: string }; error?: { statusCode: number } }>(
        s,
        event,
        { planetId, ...payload },
        20_000,
      );
      return {
        what: `socket ${event}`,
        status: ack.ok ? 200 : (ack.error?.statusCode ?? -1),
        clientId: payload.clientId as string | undefined,
        id: ack.message?.id,
      };
    } catch (err) {
      return { what: `socket ${event}`, status: 'error', detail: String(err), clientId: payload.clientId as string | undefined };
    }
  };
  /** 'refused', or the HTTP status, of a request on a NEW connection. */
  const readinessOnNewConnection = async (url: string): Promise<number | string> => {
    try {
      const res = await fetch(`${url}/health/ready`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(3000) });
      return res.status;
    } catch (err) {
      const code = ((err as Error).cause as { code?: string } | undefined)?.code;
      return code === 'ECONNREFUSED' ? 'refused' : String(code ?? err);
    }
  };

  beforeAll(async () => {
    db = await openSuiteDb('shutdown');
    [alice, bob] = await Promise.all([createUser(db.env), createUser(db.env)]);
    planetId = await planetWith(alice, [bob]);
  });

  afterAll(async () => {
    traffic?.abort();
    socket?.close();
    for (const n of nodes) await n.stop('SIGKILL', 5000).catch(() => undefined);
    await db?.close();
  }, 60_000);

  it('answers every in-flight request and acks every in-flight event, stores all of it, and exits within the bound, three times', async () => {
    const rounds = [{ delayMs: 600 }, { delayMs: 0 }, { delayMs: 300 }];
    await start(rounds[0].delayMs);
    traffic = new ChatTraffic({
      url: () => node!.url,
      planetId,
      restAuth: alice.auth,
      socket: () => (socket && !noticed.has(socket) ? socket : undefined),
      intervalMs: 60,
      perChannel: 1,
      answerTimeoutMs: 20_000,
    });
    traffic.start();

    for (const [i, round] of rounds.entries()) {
      const current = node!;
      const s = socket!;
      const rec = new SocketRecorder(s);
      const disconnected = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
      await sleep(300);
      const target = await createMessage({ id: planetId }, alice, `round ${i} read target`);
      const targetId = String(target.id);

      // --- requests and events certainly in flight inside the server --------------------------
      const lock = await lockWrites();
      const ids = Array.from({ length: 5 }, (_, k) => `r${i}-${k}`);
      const inFlight: Promise<Outcome>[] = [
        ...ids.map((id) => restSend(current.url, `${id}-rest`)),
        ...ids.map((id) => socketEmit(s, 'message:send', { content: `in flight ${id}`, clientId: `${id}-socket` })),
        restRead(current.url, targetId),
        restRead(current.url, targetId),
        socketEmit(s, 'message:read', { messageId: targetId }),
        socketEmit(s, 'message:read', { messageId: targetId }),
      ];
      const deadline = Date.now() + 15_000;
      while ((await waitingOnLocks()) < 11 && Date.now() < deadline) await sleep(50);
      expect(await waitingOnLocks()).toBeGreaterThanOrEqual(11);
      await sleep(300); // the background sends too

      // --- SIGTERM -------------------------------------------------------------------------------
      const exited = current.exited();
      const sigAt = Date.now();
      current.child.kill('SIGTERM');
      await sleep(150);
      if (round.delayMs > 0) {
        // the load balancer's turn: still accepting, but readiness already says no
        expect(await readinessOnNewConnection(current.url)).toBe(503);
        await sleep(round.delayMs);
      }
      await rec.next('server:shutdown', () => true, 3000);
      expect(await readinessOnNewConnection(current.url)).toBe('refused');
      // an event sent after the notice is refused at once, to be retried on another node
      expect(await socketEmit(s, 'message:send', { content: 'too late', clientId: `r${i}-late` })).toMatchObject({ status: 503 });
      await sleep(500);
      expect(current.child.exitCode).toBeNull(); // still draining: the lock holds the work

      await lock.release();
      const outcomes = await Promise.all(inFlight);
      expect(outcomes.filter((o) => o.status === 'error')).toEqual([]);
      expect(outcomes.map((o) => `${o.what} ${o.status}`).sort()).toEqual(
        [
          ...ids.map(() => 'rest send 201'),
          ...ids.map(() => 'socket message:send 200'),
          'rest read 204',
          'rest read 204',
          'socket message:read 200',
          'socket message:read 200',
        ].sort(),
      );
      const exit = await exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - sigAt).toBeLessThan(boundMs(round.delayMs));
      expect(await disconnected).toBe('transport close');

      // --- all of it stored -----------------------------------------------------------------------
      const rows = await db.dataSource.query<{ id: string; client_id: string }[]>(
        'SELECT id::text, client_id FROM message WHERE client_id LIKE $1',
        [`r${i}-%`],
      );
      const sent = outcomes.filter((o) => o.id);
      expect(rows.map((r) => r.client_id).sort()).toEqual(sent.map((o) => o.clientId).sort());
      for (const o of sent) expect(rows.find((r) => r.client_id === o.clientId)?.id).toBe(o.id);
      expect(await watermark(planetId, alice.user.id)).toBe(targetId);
      expect(await watermark(planetId, bob.user.id)).toBe(targetId);

      await start(rounds[i + 1]?.delayMs ?? 0);
    }

    // --- background traffic: nothing reset or unanswered, nothing lost or duplicated --------------
    await sleep(1000);
    await traffic.stop();
    const failures = traffic.attempts.filter((a) => a.status === 0 && !/ECONNREFUSED|not connected/.test(a.failure ?? ''));
    expect(failures).toEqual([]);
    expect(traffic.attempts.filter((a) => a.status !== 0 && ![200, 201, 503].includes(a.status))).toEqual([]);
    expect(traffic.acked.length).toBeGreaterThan(10);
    const rows = await db.dataSource.query<{ id: string; client_id: string }[]>(
      "SELECT id::text, client_id FROM message WHERE client_id LIKE 't-%'",
    );
    expect(rows.length).toBe(traffic.acked.length);
    for (const a of traffic.acked) expect(rows.filter((r) => r.client_id === a.clientId).map((r) => r.id)).toEqual([a.id]);
  }, 240_000);
});
