import { JwtService } from '@nestjs/jwt';
import { DomainEvents } from '../../src/common/events/domain-events';
import { MessageBroadcaster } from '../../src/modules/message/gateway/message-broadcaster';
import type { ChatServer } from '../../src/modules/message/gateway/socket-events';
import { MembershipStatus } from '../../src/common/membership/membership';
import { buildWorld, createUser, setPlanetState, UserFixture, World } from '../factories';
import { ClientSocket, connectSocket, emitAck, sleep, SocketRecorder } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

interface MessageEvent {
  id: string;
  planetId: number;
}

describe('Socket.IO handshake: rooms and token lifetime', () => {
  let node: TestApp;
  let alice: UserFixture;
  let carol: UserFixture;
  let dave: UserFixture;
  let planetId: number;
  let world: World;
  let a: SocketRecorder;
  const sockets: ClientSocket[] = [];
  /** Users whose handshake waits (after authentication and room joins) until released. */
  const held = new Map<number, { reached: () => void; release: Promise<void> }>();

  const open = async (u: UserFixture, token = u.token) => {
    const s = await connectSocket(node.url, token);
    sockets.push(s);
    return new SocketRecorder(s);
  };
  const membershipChanged = (userId: number, active: boolean) =>
    node.app.get(DomainEvents).emit('planet.membership.changed', { planetId, userId, active });

  /** Connects `u`, changing its membership (as a concurrent REST call would) while its handshake is in flight. */
  const connectDuringMove = async (u: UserFixture, move: () => Promise<void>) => {
    let reached!: () => void;
    let release!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    held.set(u.user.id, { reached, release: new Promise<void>((r) => (release = r)) });
    const connecting = open(u);
    await atGate;
    await move();
    await sleep(100);
    release();
    const socket = await connecting;
    held.delete(u.user.id);
    await sleep(300);
    return socket;
  };

  beforeAll(async () => {
    node = await startTestApp({ tag: 'sockauth' });
    [alice, carol, dave] = await Promise.all([createUser(node.env), createUser(node.env), createUser(node.env)]);
    world = await buildWorld({ host: alice, members: [dave] });
    planetId = world.planet.id;
    const broadcaster: unknown = node.app.get(MessageBroadcaster);
    const server = (broadcaster as { server: ChatServer }).server; // the gateway's server
    server.use((socket, next) => {
      const hold = held.get(socket.data.user?.id);
      if (!hold) return next();
      hold.reached();
      void hold.release.then(() => next());
    });
    a = await open(alice);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await node?.close();
  });

  it('puts a socket in a planet joined while its handshake was in flight', async () => {
    const c = await connectDuringMove(carol, async () => {
      await setPlanetState(world, world.planet, carol, MembershipStatus.ACTIVE);
      membershipChanged(carol.user.id, true);
    });
    const m = (await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: 'hello carol' })).message;
    await c.next<MessageEvent>('message:new', (x) => x.id === m.id, 2000);
  });

  it('takes a socket out of a planet left while its handshake was in flight', async () => {
    const d = await connectDuringMove(dave, async () => {
      await setPlanetState(world, world.planet, dave, MembershipStatus.LEFT);
      membershipChanged(dave.user.id, false);
    });
    const m = (await emitAck<{ message: MessageEvent }>(a.socket, 'message:send', { planetId, content: 'bye dave' })).message;
    await a.next<MessageEvent>('message:new', (x) => x.id === m.id);
    await sleep(300);
    expect(d.of('message:new')).toEqual([]);
  });

  it('disconnects a socket when its access token expires, with auth:expired first; a fresh token connects', async () => {
    const jwt = new JwtService({ secret: node.env.JWT_ACCESS_SECRET });
    const shortLived = jwt.sign({ sub: alice.user.id, email: alice.user.email, typ: 'access' }, { expiresIn: 2, algorithm: 'HS256' });
    const short = await open(alice, shortLived);
    const reason = new Promise<string>((resolve) => short.socket.once('disconnect', (r) => resolve(r)));
    const expired = await short.next<{ message: string }>('auth:expired', () => true, 5000);
    expect(expired.message).toMatch(/expired/i);
    expect(await reason).toBe('io server disconnect');
    await expect(connectSocket(node.url, shortLived)).rejects.toThrow(/Access token expired/);

    // Sockets with a valid token are untouched, and a fresh token works.
    expect(a.socket.connected).toBe(true);
    const fresh = await open(alice);
    const m = (await emitAck<{ message: MessageEvent }>(fresh.socket, 'message:send', { planetId, content: 'fresh token' })).message;
    await a.next<MessageEvent>('message:new', (x) => x.id === m.id);
  });
});
