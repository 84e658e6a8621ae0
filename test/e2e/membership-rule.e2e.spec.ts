import { MembershipStatus } from '../../src/common/membership/membership';
import { planetRoom } from '../../src/infrastructure/socket/socket-rooms';
import { MessageBroadcaster } from '../../src/modules/message/gateway/message-broadcaster';
import { PlanetRoomSync } from '../../src/modules/message/gateway/planet-rooms';
import type { ChatServer } from '../../src/modules/message/gateway/socket-events';
import { MessageReadReceipt } from '../../src/modules/message/message-read-receipt.entity';
import { ReadReceiptBatcher } from '../../src/modules/message/receipts/read-receipt-batcher';
import { Planet } from '../../src/modules/planet/planet.entity';
import { buildWorld, createMessage, createUser, setPlanetState, UserFixture, watermark, World } from '../factories';
import { ClientSocket, connectSocket, emitAck } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The one membership rule — "an ACTIVE member of a planet that is not deleted" — seen from every
 * path: REST send, list, read and search, socket send and read, the socket rooms, and the receipt
 * batch. bob (ACTIVE) is the control that proves each check can pass; carol LEFT, dave was BANNED,
 * and erin is an ACTIVE member of a planet that was then deleted.
 */
describe('the membership rule on every path (deleted planet, LEFT, BANNED)', () => {
  let t: TestApp;
  let alice: UserFixture; // host, ADMIN of both planets
  let bob: UserFixture; // ACTIVE
  let carol: UserFixture; // LEFT
  let dave: UserFixture; // BANNED
  let erin: UserFixture; // ACTIVE in a deleted planet
  let live: World;
  let gone: World;
  let liveMessage: string;
  let goneMessage: string;
  const sockets = new Map<number, ClientSocket>();

  const api = (u: UserFixture) => ({
    send: (planetId: number, content: string) => t.http.post(`/api/v1/planets/${planetId}/messages`).set(u.auth).send({ content }),
    list: (planetId: number) => t.http.get(`/api/v1/planets/${planetId}/messages`).set(u.auth),
    read: (planetId: number, messageId: string) => t.http.post(`/api/v1/planets/${planetId}/read`).set(u.auth).send({ messageId }),
    search: (query: string, planetId?: number) =>
      t.http
        .get('/api/v1/messages/search')
        .query({ query, sort: 'recent', ...(planetId ? { planetId } : {}) })
        .set(u.auth),
  });
  const server = (): ChatServer => {
    const broadcaster: unknown = t.app.get(MessageBroadcaster);
    return (broadcaster as { server: ChatServer }).server; // the gateway's server
  };
  const roomUsers = async (planetId: number): Promise<number[]> =>
    (await server().in(planetRoom(planetId)).fetchSockets()).map((s) => (s.data as { user: { id: number } }).user.id).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await startTestApp({ tag: 'memberrule' });
    [alice, bob, carol, dave, erin] = await Promise.all(Array.from({ length: 5 }, () => createUser(t.env)));
    live = await buildWorld({ host: alice, members: [bob, carol, dave] });
    gone = await buildWorld({ host: alice, members: [erin] });
    liveMessage = (await createMessage(live.planet, alice, '비밀회의 장소는 해운대')).id;
    goneMessage = (await createMessage(gone.planet, alice, '비밀회의 장소는 광안리')).id;
    await setPlanetState(live, live.planet, carol, MembershipStatus.LEFT);
    await setPlanetState(live, live.planet, dave, MembershipStatus.BANNED);
    // No route deletes one planet yet (a travel's deletion also ends its memberships): the row is
    // soft-deleted while erin's membership stays ACTIVE, the state the rule must still refuse.
    await Planet.update({ id: gone.planet.id }, { deletedAt: new Date() });
    for (const u of [alice, bob, carol, dave, erin]) sockets.set(u.user.id, await connectSocket(t.url, u.token));
  });
  afterAll(async () => {
    for (const s of sockets.values()) s.close();
    await t?.close();
  });

  const refused: [string, () => UserFixture, () => number, () => string][] = [
    ['a LEFT member', () => carol, () => live.planet.id, () => liveMessage],
    ['a BANNED member', () => dave, () => live.planet.id, () => liveMessage],
    ['an ACTIVE member of a deleted planet', () => erin, () => gone.planet.id, () => goneMessage],
  ];

  it('lets the ACTIVE member of the live planet do everything (the control)', async () => {
    const bobApi = api(bob);
    await bobApi.send(live.planet.id, 'bob was here').expect(201);
    expect((await bobApi.list(live.planet.id).expect(200)).body.data.length).toBeGreaterThan(0);
    await bobApi.read(live.planet.id, liveMessage).expect(204);
    expect(await watermark(live.planet, bob)).toBe(liveMessage);
    const hits = (await bobApi.search('비밀회의', live.planet.id).expect(200)).body.data;
    expect(hits.map((h: { id: string }) => h.id)).toEqual([liveMessage]);
    const socket = sockets.get(bob.user.id)!;
    expect(await emitAck(socket, 'message:send', { planetId: live.planet.id, content: 'via socket' })).toMatchObject({ ok: true });
    expect(await emitAck(socket, 'message:read', { planetId: live.planet.id, messageId: liveMessage })).toEqual({ ok: true });
  });

  it.each(refused)('refuses %s on REST send, list, read and search', async (_, who, planet, message) => {
    const u = api(who());
    await u.send(planet(), 'let me in').expect(403);
    await u.list(planet()).expect(403);
    await u.read(planet(), message()).expect(403);
    await u.search('비밀회의', planet()).expect(403);
    const everywhere = (await u.search('비밀회의').expect(200)).body;
    expect(everywhere).toMatchObject({ data: [], total: 0 });
    expect(await watermark(planet(), who())).toBeNull();
  });

  it.each(refused)('refuses %s on socket send and read', async (_, who, planet, message) => {
    const socket = sockets.get(who().user.id)!;
    expect(await emitAck(socket, 'message:send', { planetId: planet(), content: 'let me in' })).toMatchObject({
      ok: false,
      error: { statusCode: 403 },
    });
    expect(await emitAck(socket, 'message:read', { planetId: planet(), messageId: message() })).toMatchObject({
      ok: false,
      error: { statusCode: 403 },
    });
  });

  it('keeps only ACTIVE members of live planets in the socket rooms, also after a reconcile', async () => {
    expect(await roomUsers(live.planet.id)).toEqual([alice.user.id, bob.user.id].sort((a, b) => a - b));
    expect(await roomUsers(gone.planet.id)).toEqual([]);
    // Put every socket in both rooms by hand, then let the gateway reconcile them with PostgreSQL.
    for (const s of await server().fetchSockets()) s.join([planetRoom(live.planet.id), planetRoom(gone.planet.id)]);
    expect(await roomUsers(gone.planet.id)).toHaveLength(5);
    await new PlanetRoomSync().reconcile([...server().sockets.sockets.values()]);
    expect(await roomUsers(live.planet.id)).toEqual([alice.user.id, bob.user.id].sort((a, b) => a - b));
    expect(await roomUsers(gone.planet.id)).toEqual([]);
  });

  it('moves no watermark in the receipt batch for them, while the same batch moves an ACTIVE member', async () => {
    const batcher = t.app.get(ReadReceiptBatcher);
    await Promise.all([
      batcher.markRead(live.planet.id, carol.user.id, liveMessage),
      batcher.markRead(live.planet.id, dave.user.id, liveMessage),
      batcher.markRead(gone.planet.id, erin.user.id, goneMessage),
      batcher.markRead(gone.planet.id, alice.user.id, goneMessage),
      batcher.markRead(live.planet.id, alice.user.id, liveMessage),
    ]);
    expect(
      await MessageReadReceipt.find({ where: [{ userId: carol.user.id }, { userId: dave.user.id }, { userId: erin.user.id }] }),
    ).toEqual([]);
    expect(await watermark(gone.planet, alice)).toBeNull();
    expect(await watermark(live.planet, alice)).toBe(liveMessage);
  });
});
