import request from 'supertest';
import { buildWorld, createUser, UserFixture } from '../factories';
import { AppProcess, startAppProcesses } from '../helpers/app-process';
import { PrivateRedis } from '../helpers/redis-server';
import { ClientSocket, connectSocket, emitAck, sleep, SocketRecorder } from '../helpers/socket';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

interface MessageEvent {
  id: string;
  planetId: number;
  content: string | null;
}

/**
 * Redis goes away under two nodes (a private redis-server, never the shared one) while sockets
 * come and go: the process must stay up, keep serving its own sockets, and after Redis returns
 * fan out again with rooms that match the memberships changed meanwhile. Each node is its own OS
 * process (startAppProcess); an unhandled rejection would end it, so "still running" is checked.
 */
describe.each(['sharded', 'classic'])('Socket.IO through a Redis outage (%s adapter)', (adapter) => {
  let redis: PrivateRedis | undefined;
  let db: SuiteDb | undefined;
  let node1: AppProcess | undefined;
  let node2: AppProcess | undefined;
  let alice: UserFixture; // node 1
  let bob: UserFixture; // node 2
  let dave: UserFixture; // node 2, leaves the planet on node 1 during the outage
  let churn: UserFixture[]; // connect and disconnect during the outage
  let planetId: number;
  const sockets: ClientSocket[] = [];
  let a: SocketRecorder;
  let b: SocketRecorder;
  let d: SocketRecorder;
  /** Nodes that have exited (an unhandled rejection or a crash), with their output. */
  const crashed = () =>
    [node1, node2].filter((n) => n && (n.child.exitCode !== null || n.child.signalCode !== null)).map((n) => n!.output());
  const http = (node: AppProcess) => request(node.url);

  const open = async (t: AppProcess, u: UserFixture) => {
    const s = await connectSocket(t.url, u.token);
    sockets.push(s);
    return new SocketRecorder(s);
  };
  const send = async (r: SocketRecorder, content: string) => {
    const ack = await emitAck<{ ok: boolean; message: MessageEvent }>(r.socket, 'message:send', { planetId, content }, 8000);
    expect(ack).toMatchObject({ ok: true });
    return ack.message;
  };
  /** Sends from node 1 until node 2 receives (the adapter reconnects by itself); returns the delivered message. */
  const crossNode = async (): Promise<MessageEvent | undefined> => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const m = await send(a, `cross ${attempt}`);
      if (
        await b
          .next<MessageEvent>('message:new', (x) => x.id === m.id, 500)
          .then(
            () => true,
            () => false,
          )
      )
        return m;
    }
    return undefined;
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    db = await openSuiteDb('outage');
    const env = { SOCKET_ADAPTER: adapter, REDIS_PORT: String(redis.port) };
    [node1, node2] = await startAppProcesses(2, { database: db.env.DATABASE_NAME, env });
    [alice, bob, dave, ...churn] = await Promise.all(Array.from({ length: 7 }, () => createUser(db!.env)));
    planetId = (await buildWorld({ host: alice, members: [bob, dave] })).planet.id;
    a = await open(node1, alice);
    b = await open(node2, bob);
    d = await open(node2, dave);
    expect(await crossNode()).toBeDefined();
  }, 180_000); // two ts-node boots on a busy machine
  afterAll(async () => {
    for (const s of sockets) s.close();
    try {
      await redis?.start(); // lets the apps close their Redis connections cleanly
      await Promise.all([node2?.stop(), node1?.stop()]);
      await db?.close();
    } finally {
      await redis?.stop();
    }
  });

  it('stays up while Redis is down and sockets come and go, serving its own sockets', async () => {
    await redis!.stop();
    await sleep(300);

    // New rooms (user rooms of new sockets) and deleted rooms (their disconnects) on both nodes.
    for (let round = 0; round < 2; round++) {
      const opened = await Promise.all(churn.map((u, i) => connectSocket((i % 2 ? node2! : node1!).url, u.token)));
      await sleep(100);
      for (const s of opened) s.close();
      await sleep(100);
    }

    // dave leaves the planet on node 1: the socketsLeave for his socket on node 2 cannot cross.
    await http(node1!).post(`/api/v1/planets/${planetId}/leave`).set(dave.auth).expect(204);

    const viaRest = await http(node1!)
      .post(`/api/v1/planets/${planetId}/messages`)
      .set(alice.auth)
      .send({ content: 'REST during the outage' })
      .expect(201);
    await a.next<MessageEvent>('message:new', (m) => m.id === viaRest.body.id);
    const viaSocket = await send(a, 'socket during the outage');
    await a.next<MessageEvent>('message:new', (m) => m.id === viaSocket.id);
    const onNode2 = await send(b, 'node 2 during the outage');
    await b.next<MessageEvent>('message:new', (m) => m.id === onNode2.id);

    await sleep(2500); // past maxRetriesPerRequest of every command sent meanwhile

    expect(crashed()).toEqual([]);
    for (const node of [node1!, node2!]) {
      await http(node).get('/health').expect(200);
      const ready = await http(node).get('/health/ready').expect(503);
      expect(ready.body.message).toMatch(/redis/);
    }
    expect(a.socket.connected && b.socket.connected && d.socket.connected).toBe(true);
    // Local delivery does not wait for Redis retries (the sharded adapter awaits its SPUBLISH).
    const started = Date.now();
    const still = await send(a, 'still serving');
    await a.next<MessageEvent>('message:new', (m) => m.id === still.id);
    const restSent = await http(node2!)
      .post(`/api/v1/planets/${planetId}/messages`)
      .set(bob.auth)
      .send({ content: 'REST still serving' })
      .expect(201);
    await b.next<MessageEvent>('message:new', (m) => m.id === restSent.body.id);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fans out again once Redis is back, with the rooms of memberships changed during the outage', async () => {
    await redis!.start();
    for (const node of [node1!, node2!]) {
      let status = 0;
      for (let i = 0; i < 60 && status !== 200; i++) {
        status = (await http(node).get('/health/ready')).status;
        if (status !== 200) await sleep(250);
      }
      expect(status).toBe(200);
    }
    expect(await crossNode()).toBeDefined();
    await sleep(500); // node 2's room resync runs when its subscriber is ready again
    d.clear();
    const after = await send(a, 'after the outage');
    await b.next<MessageEvent>('message:new', (m) => m.id === after.id);
    await sleep(300);
    expect(d.of<MessageEvent>('message:new').filter((m) => m.planetId === planetId)).toEqual([]);
    expect(await emitAck(d.socket, 'message:send', { planetId, content: 'still in?' })).toMatchObject({
      ok: false,
      error: { statusCode: 403 },
    });
    expect(crashed()).toEqual([]);
  });
});
