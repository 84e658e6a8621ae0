import Redis from 'ioredis';
import request from 'supertest';
import { buildWorld, createUser, planetWith, UserFixture, World } from '../factories';
import { AppProcess, startAppProcesses } from '../helpers/app-process';
import { ClientSocket, connectSocket, emitAck, sleep, SocketRecorder } from '../helpers/socket';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

interface MessageEvent {
  id: string;
  planetId: number;
  content: string | null;
  deleted: boolean;
}

/**
 * Two app nodes, each its own OS process (startAppProcess: its own DataSource, caches and timers),
 * on one database and one Redis key prefix. This process only builds data (test/factories on its
 * own DataSource) and talks to the nodes over HTTP and Socket.IO, as clients do.
 */
describe.each(['sharded', 'classic'])('Socket.IO on two nodes through Redis (%s adapter)', (adapter) => {
  let db: SuiteDb;
  let node1: AppProcess;
  let node2: AppProcess;
  let world: World;
  let alice: UserFixture; // on node 1
  let bob: UserFixture; // on node 2
  let outsider: UserFixture; // sockets on both nodes, never a member
  let carol: UserFixture; // joins and leaves
  let planetId: number;
  const sockets: ClientSocket[] = [];
  let a: SocketRecorder;
  let b: SocketRecorder;
  let o1: SocketRecorder;
  let o2: SocketRecorder;

  const http = (node: AppProcess) => request(node.url);
  const open = async (t: AppProcess, u: UserFixture) => {
    const s = await connectSocket(t.url, u.token);
    sockets.push(s);
    return new SocketRecorder(s);
  };

  beforeAll(async () => {
    db = await openSuiteDb('socket');
    [node1, node2] = await startAppProcesses(2, { database: db.env.DATABASE_NAME, env: { SOCKET_ADAPTER: adapter } });
    expect(node1.pid).not.toBe(node2.pid);
    [alice, bob, outsider, carol] = await Promise.all([createUser(db.env), createUser(db.env), createUser(db.env), createUser(db.env)]);
    world = await buildWorld({ host: alice, members: [bob] });
    planetId = world.planet.id;
    a = await open(node1, alice);
    b = await open(node2, bob);
    o1 = await open(node1, outsider);
    o2 = await open(node2, outsider);
  }, 180_000); // two ts-node boots on a busy machine
  afterEach(() => {
    for (const r of [a, b, o1, o2]) r?.clear();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([node2?.stop(), node1?.stop()]);
    await db?.close();
  });

  it('refuses a connection without a token or with a bad one, saying why', async () => {
    await expect(connectSocket(node1.url, undefined)).rejects.toThrow(/Missing access token/);
    await expect(connectSocket(node2.url, 'nope')).rejects.toThrow(/Invalid access token/);
  });

  it('persists message:send, acks it, and delivers it to the other node (both directions), not to non-members', async () => {
    const ack = await emitAck<{ ok: boolean; message: MessageEvent }>(a.socket, 'message:send', {
      planetId,
      content: '안녕 from node 1',
      clientId: 'a-1',
    });
    expect(ack).toMatchObject({ ok: true, message: { planetId, content: '안녕 from node 1', sender: { id: alice.user.id } } });
    const got = await b.next<MessageEvent>('message:new', (m) => m.id === ack.message.id);
    expect(got).toEqual(ack.message);

    const back = await emitAck<{ ok: boolean; message: MessageEvent }>(b.socket, 'message:send', { planetId, content: 'hi from node 2' });
    await a.next<MessageEvent>('message:new', (m) => m.id === back.message.id);
    await sleep(150);
    expect([...o1.of('message:new'), ...o2.of('message:new')]).toEqual([]);
  });

  it('broadcasts REST sends, edits and deletes to sockets on the other node', async () => {
    const sent = await http(node2).post(`/api/v1/planets/${planetId}/messages`).set(bob.auth).send({ content: 'via REST' }).expect(201);
    await a.next<MessageEvent>('message:new', (m) => m.id === sent.body.id);
    await http(node1).patch(`/api/v1/messages/${sent.body.id}`).set(bob.auth).send({ content: 'edited' }).expect(200);
    expect(await b.next<MessageEvent>('message:updated', (m) => m.id === sent.body.id)).toMatchObject({ content: 'edited' });
    await http(node1).delete(`/api/v1/messages/${sent.body.id}`).set(bob.auth).expect(204);
    expect(await a.next('message:deleted')).toEqual({ id: sent.body.id, planetId, changeSeq: expect.stringMatching(/^\d+$/) });
    expect(await b.next('message:deleted')).toEqual({ id: sent.body.id, planetId, changeSeq: expect.stringMatching(/^\d+$/) });
    await sleep(150);
    expect(o1.events.length + o2.events.length).toBe(0);
  });

  it('relays typing across nodes to the others only, and caps a flood', async () => {
    a.socket.emit('typing:start', { planetId });
    expect(await b.next('typing')).toEqual({ planetId, userId: alice.user.id, typing: true });
    b.socket.emit('typing:stop', { planetId });
    expect(await a.next('typing')).toEqual({ planetId, userId: bob.user.id, typing: false });
    o1.socket.emit('typing:start', { planetId }); // not a member: dropped
    await sleep(300);
    b.clear();
    for (let i = 0; i < 50; i++) a.socket.emit('typing:start', { planetId });
    await sleep(400);
    expect(b.of('typing').length).toBeLessThanOrEqual(6);
    expect(a.of('typing').filter((t) => (t as { userId: number }).userId === alice.user.id)).toEqual([]);
    expect(o1.of('typing').length + o2.of('typing').length).toBe(0);
  });

  it('acks reads after they are written and broadcasts receipt:updated only when the watermark moves', async () => {
    const m1 = (await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: 'r1' })).message.id;
    const m2 = (await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: 'r2' })).message.id;
    expect(await emitAck(b.socket, 'message:read', { planetId, messageId: m2 })).toEqual({ ok: true });
    expect(await a.next('receipt:updated')).toEqual({ planetId, userId: bob.user.id, lastReadMessageId: m2 });
    expect(await emitAck(b.socket, 'message:read', { planetId, messageId: m1 })).toEqual({ ok: true });
    expect(await emitAck(b.socket, 'message:read', { planetId, messageId: m2 })).toEqual({ ok: true });
    await sleep(300);
    expect(a.of('receipt:updated')).toHaveLength(1);
    const list = await http(node1).get(`/api/v1/planets/${planetId}/messages?limit=2`).set(alice.auth).expect(200);
    expect(list.body.data.map((m: { readCount: number; unreadCount: number }) => [m.readCount, m.unreadCount])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(o1.of('receipt:updated').length + o2.of('receipt:updated').length).toBe(0);
  });

  it('moves sockets into and out of a planet on both nodes when membership changes, without reconnecting', async () => {
    const c1 = await open(node1, carol);
    const c2 = await open(node2, carol);
    const ids = [c1.socket.id, c2.socket.id];
    // Real routes on node 1: the service emits planet.membership.changed, the broadcaster moves every node's sockets.
    await http(node1).post(`/api/v1/travels/${world.travel.id}/join`).set(carol.auth).expect(200);
    await http(node1).post(`/api/v1/planets/${planetId}/join`).set(carol.auth).expect(200);
    await sleep(200);
    const joined = (await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: 'welcome carol' })).message;
    await c1.next<MessageEvent>('message:new', (m) => m.id === joined.id);
    await c2.next<MessageEvent>('message:new', (m) => m.id === joined.id);
    expect(await emitAck(c2.socket, 'message:send', { planetId, content: 'thanks' })).toMatchObject({ ok: true });

    await http(node2).post(`/api/v1/planets/${planetId}/leave`).set(carol.auth).expect(204);
    await sleep(200);
    c1.clear();
    c2.clear();
    const after = (await emitAck<{ message: MessageEvent }>(b.socket, 'message:send', { planetId, content: 'bye carol' })).message;
    await a.next<MessageEvent>('message:new', (m) => m.id === after.id);
    await sleep(200);
    expect(c1.of('message:new').length + c2.of('message:new').length).toBe(0);
    expect(await emitAck(c1.socket, 'message:send', { planetId, content: 'still here?' })).toMatchObject({
      ok: false,
      error: { statusCode: 403 },
    });
    expect([c1.socket.id, c2.socket.id]).toEqual(ids);
    expect(c1.socket.connected && c2.socket.connected).toBe(true);
  });

  it('answers bad input with an error ack and keeps the socket up', async () => {
    const other = await planetWith(outsider);
    const foreign = (await emitAck<{ message: MessageEvent }>(o1.socket, 'message:send', { planetId: other, content: 'x' })).message;
    const cases: [unknown, number][] = [
      [{ planetId: other, content: 'not mine' }, 403],
      [{ planetId, content: '' }, 400],
      [{ planetId, content: '가'.repeat(4001) }, 400],
      [{ planetId, content: 'reply', replyToMessageId: foreign.id }, 400],
      [{ planetId: 'abc', content: 'x' }, 400],
      [{ planetId, content: 'x', evil: true }, 400],
      ['just a string', 400],
      [null, 400],
    ];
    for (const [payload, status] of cases) {
      const ack = await emitAck<{ ok: boolean; error: { statusCode: number; message: string } }>(a.socket, 'message:send', payload);
      expect({ payload, ack }).toMatchObject({ payload, ack: { ok: false, error: { statusCode: status, message: expect.any(String) } } });
    }
    expect(await emitAck(a.socket, 'message:read', { planetId, messageId: 'x' })).toMatchObject({ ok: false, error: { statusCode: 400 } });
    const big = await emitAck(a.socket, 'message:send', { planetId, content: '가'.repeat(200_000) });
    expect(big).toMatchObject({ ok: false, error: { statusCode: 400, details: [{ field: 'content' }] } });
    a.socket.emit('no:such:event', { planetId });
    a.socket.emit('typing:start', 'garbage');
    expect(await emitAck(a.socket, 'message:send', { planetId, content: 'still alive' })).toMatchObject({ ok: true });
    const list = await http(node1).get(`/api/v1/planets/${planetId}/messages?limit=100`).set(alice.auth).expect(200);
    expect(list.body.data.filter((m: MessageEvent) => m.content === 'not mine' || m.content === 'reply')).toEqual([]);
  });

  it('closes only the connection that sends a packet over SOCKET_MAX_PAYLOAD_BYTES, and nothing is stored', async () => {
    const extra = (await open(node1, alice)).socket;
    const closed = new Promise<string>((resolve) => extra.once('disconnect', (reason) => resolve(reason)));
    extra.emit('message:send', { planetId, content: 'huge '.repeat(250_000) });
    expect(await closed).toBe('transport close');
    expect(await emitAck(a.socket, 'message:send', { planetId, content: 'server still up' })).toMatchObject({ ok: true });
    const list = await http(node1).get(`/api/v1/planets/${planetId}/messages?limit=5`).set(alice.auth).expect(200);
    expect(list.body.data.some((m: MessageEvent) => m.content?.startsWith('huge'))).toBe(false);
  });

  it('makes a socket resend with the same clientId idempotent (one message, one broadcast)', async () => {
    const first = await emitAck<{ message: MessageEvent }>(b.socket, 'message:send', { planetId, content: 'once', clientId: 'resend-1' });
    const again = await emitAck<{ message: MessageEvent }>(b.socket, 'message:send', { planetId, content: 'once', clientId: 'resend-1' });
    expect(again.message.id).toBe(first.message.id);
    await a.next<MessageEvent>('message:new', (m) => m.id === first.message.id);
    await sleep(200);
    expect(a.of<MessageEvent>('message:new').filter((m) => m.id === first.message.id)).toHaveLength(1);
  });

  it('lets a reconnecting client resync exactly what it missed with ?after=', async () => {
    const lastSeen = (await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: 'seen' })).message.id;
    b.socket.disconnect();
    const missed: string[] = [];
    for (let i = 0; i < 3; i++)
      missed.push((await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: `missed ${i}` })).message.id);
    b.socket.connect();
    await new Promise<void>((r) => b.socket.once('connect', () => r()));
    const res = await http(node2).get(`/api/v1/planets/${planetId}/messages?after=${lastSeen}`).set(bob.auth).expect(200);
    expect(res.body.data.map((m: MessageEvent) => m.id)).toEqual(missed);
    const live = (await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: 'live again' })).message;
    await b.next<MessageEvent>('message:new', (m) => m.id === live.id);
  });

  it('keeps serving its own sockets when its Redis connections drop, and fans out again after reconnecting', async () => {
    const admin = new Redis({ host: db.env.REDIS_HOST, port: db.env.REDIS_PORT, lazyConnect: true });
    try {
      await admin.connect();
      const list = (await admin.client('LIST')) as string;
      const tag = db.env.REDIS_KEY_PREFIX.replace(/[^\w:.-]/g, '_');
      const ids = list
        .split('\n')
        .filter((line) => line.includes(`name=connecto-socket-`) && line.includes(tag))
        .map((line) => /id=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => !!id);
      expect(ids.length).toBeGreaterThanOrEqual(4); // pub + sub of each node
      for (const id of ids) await admin.client('KILL', 'ID', id);
      const local = await emitAck<{ ok: boolean; message: MessageEvent }>(
        a.socket,
        'message:send',
        { planetId, content: 'during the drop' },
        8000,
      );
      expect(local.ok).toBe(true);
      await a.next<MessageEvent>('message:new', (m) => m.id === local.message.id);
      // ioredis reconnects and resubscribes by itself.
      let delivered = false;
      for (let attempt = 0; attempt < 20 && !delivered; attempt++) {
        await sleep(250);
        const m = (
          await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: `after the drop ${attempt}` }, 8000)
        ).message;
        delivered = await b
          .next<MessageEvent>('message:new', (x) => x.id === m.id, 1000)
          .then(
            () => true,
            () => false,
          );
      }
      expect(delivered).toBe(true);
    } finally {
      admin.disconnect();
    }
  });
});
