import request from 'supertest';
import { buildWorld, createUser, UserFixture, World } from '../factories';
import { AppProcess, startAppProcesses } from '../helpers/app-process';
import { parsePrometheus, select } from '../helpers/prometheus';
import { ClientSocket, connectSocket, emitAck } from '../helpers/socket';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

const METRICS_TOKEN = 'cache-multinode-metrics-token';

/**
 * The cache on two app nodes, each its own OS process (own L1), on one database and one Redis
 * prefix. Every invalidating write is made on node 1 and checked on node 2 right after its answer,
 * after node 2 was made to hold the entry in its L1.
 */
describe('the cache on two nodes: every node drops an entry as soon as a write on another node is answered', () => {
  let db: SuiteDb;
  let node1: AppProcess;
  let node2: AppProcess;
  let host: UserFixture;
  let outsider: UserFixture;
  const sockets: ClientSocket[] = [];

  const http = (node: AppProcess) => request(node.url);
  const metric = async (node: AppProcess, name: string, labels: Record<string, string>) => {
    const res = await http(node).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    return select(parsePrometheus(res.text), name, labels).reduce((sum, s) => sum + s.value, 0);
  };
  const l1Hits = (node: AppProcess, namespace: string) => metric(node, 'connecto_cache_hits_total', { namespace, tier: 'l1' });
  const loads = (node: AppProcess, namespace: string) => metric(node, 'connecto_cache_load_duration_seconds_count', { namespace });
  const popularIds = async (node: AppProcess) =>
    ((await http(node).get('/api/v1/travels/popular').set(host.auth).expect(200)).body.data as { id: number }[]).map((t) => t.id);
  /** Reads twice on `node`, the second read from its L1 (checked), so a later stale answer would come from L1. */
  const warm = async (node: AppProcess, namespace: string, read: () => Promise<unknown>) => {
    await read();
    const before = await l1Hits(node, namespace);
    await read();
    expect(await l1Hits(node, namespace)).toBeGreaterThan(before);
  };

  beforeAll(async () => {
    db = await openSuiteDb('cachemn');
    [node1, node2] = await startAppProcesses(2, {
      database: db.env.DATABASE_NAME,
      env: { METRICS_TOKEN, RATE_LIMIT_SEND: '100000/60s', RATE_LIMIT_READ: '100000/60s', RATE_LIMIT_SOCKET_EVENTS: '100000/60s' },
    });
    [host, outsider] = await Promise.all([createUser(db.env), createUser(db.env)]);
  }, 180_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([node2?.stop(), node1?.stop()]);
    await db?.close();
  });

  it('runs 200 concurrent reads of a cold key as at most one load per node', async () => {
    const world = await buildWorld({ host, members: [outsider] });
    const before = [
      await loads(node1, 'travel:popular'),
      await loads(node2, 'travel:popular'),
      await loads(node1, 'membership'),
      await loads(node2, 'membership'),
    ];
    await http(node1).patch(`/api/v1/travels/${world.travel.id}`).set(host.auth).send({ title: '차가운 키' }).expect(200); // the list is cold again
    const call = (node: AppProcess, path: string, user: UserFixture) =>
      fetch(`${node.url}${path}`, { headers: { Authorization: user.auth.Authorization } }).then((r) => r.status);
    const statuses = await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => call(i % 2 ? node1 : node2, '/api/v1/travels/popular', host)),
      ...Array.from({ length: 200 }, (_, i) => call(i % 2 ? node1 : node2, `/api/v1/planets/${world.planet.id}/messages`, outsider)),
    ]);
    expect(new Set(statuses)).toEqual(new Set([200]));
    const after = [
      await loads(node1, 'travel:popular'),
      await loads(node2, 'travel:popular'),
      await loads(node1, 'membership'),
      await loads(node2, 'membership'),
    ];
    const ran = after.map((v, i) => v - before[i]);
    expect(ran[0]).toBeLessThanOrEqual(1);
    expect(ran[1]).toBeLessThanOrEqual(1);
    expect(ran[0] + ran[1]).toBeGreaterThanOrEqual(1);
    expect(ran[2]).toBeLessThanOrEqual(1);
    expect(ran[3]).toBeLessThanOrEqual(1);
    expect(ran[2] + ran[3]).toBeGreaterThanOrEqual(1);
  });

  it('popular list: a travel made PRIVATE or deleted on node 1 leaves node 2 at once', async () => {
    const a = (await http(node1).post('/api/v1/travels').set(host.auth).send({ title: '공개 A', visibility: 'PUBLIC' }).expect(201))
      .body as { id: number };
    const b = (await http(node1).post('/api/v1/travels').set(host.auth).send({ title: '공개 B', visibility: 'PUBLIC' }).expect(201))
      .body as { id: number };
    await warm(node2, 'travel:popular', () => popularIds(node2));
    expect(await popularIds(node2)).toEqual(expect.arrayContaining([a.id, b.id]));
    await http(node1).patch(`/api/v1/travels/${a.id}`).set(host.auth).send({ visibility: 'PRIVATE' }).expect(200);
    expect(await popularIds(node2)).not.toContain(a.id);
    await warm(node2, 'travel:popular', () => popularIds(node2));
    await http(node1).delete(`/api/v1/travels/${b.id}`).set(host.auth).expect(204);
    expect(await popularIds(node2)).not.toContain(b.id);
  });

  it('travel details: an edit, a visibility change, a join and a deletion on node 1 are seen on node 2 at once', async () => {
    const travel = (await http(node1).post('/api/v1/travels').set(host.auth).send({ title: '상세 원래', visibility: 'PUBLIC' }).expect(201))
      .body as { id: number };
    const details = (node: AppProcess, user: UserFixture, status = 200) =>
      http(node).get(`/api/v1/travels/${travel.id}`).set(user.auth).expect(status);
    await warm(node2, 'travel:details', () => details(node2, outsider));
    await http(node1).patch(`/api/v1/travels/${travel.id}`).set(host.auth).send({ title: '상세 바뀜' }).expect(200);
    expect((await details(node2, outsider)).body).toMatchObject({ title: '상세 바뀜', participantCount: 1, myRole: null });

    await warm(node2, 'travel:details', () => details(node2, outsider));
    await http(node1).post(`/api/v1/travels/${travel.id}/join`).set(outsider.auth).expect(200);
    expect((await details(node2, outsider)).body).toMatchObject({ participantCount: 2, myRole: 'MEMBER' });
    await http(node1).post(`/api/v1/travels/${travel.id}/leave`).set(outsider.auth).expect(204);

    await warm(node2, 'travel:details', () => details(node2, outsider));
    await http(node1).patch(`/api/v1/travels/${travel.id}`).set(host.auth).send({ visibility: 'PRIVATE' }).expect(200);
    await details(node2, outsider, 404); // a private travel is never served to a non-member from cache

    await warm(node2, 'travel:details', () => details(node2, host));
    await http(node1).delete(`/api/v1/travels/${travel.id}`).set(host.auth).expect(204);
    await details(node2, host, 404);
  });

  describe('the membership check', () => {
    let world: World;
    let carol: UserFixture;
    const list = (node: AppProcess, u: UserFixture) => http(node).get(`/api/v1/planets/${world.planet.id}/messages`).set(u.auth);

    beforeAll(async () => {
      carol = await createUser(db.env);
      world = await buildWorld({ host, members: [carol] });
    });

    it('a member who leaves the planet on node 1 is refused on node 2 on the next request, over REST and sockets; rejoining is seen at once too', async () => {
      const socket = await connectSocket(node2.url, carol.token);
      sockets.push(socket);
      await warm(node2, 'membership', () => list(node2, carol).expect(200));
      expect(await emitAck(socket, 'message:send', { planetId: world.planet.id, content: '떠나기 전' })).toMatchObject({ ok: true });

      await http(node1).post(`/api/v1/planets/${world.planet.id}/leave`).set(carol.auth).expect(204);
      await list(node2, carol).expect(403);
      expect(await emitAck(socket, 'message:send', { planetId: world.planet.id, content: '떠난 뒤' })).toMatchObject({
        ok: false,
        error: { statusCode: 403 },
      });

      await warm(node2, 'membership', () => list(node2, carol).expect(403)); // "not a member" is cached too
      await http(node1).post(`/api/v1/planets/${world.planet.id}/join`).set(carol.auth).expect(200);
      await list(node2, carol).expect(200);
    });

    it('leaving the travel on node 1 (which ends its planet memberships) is refused on node 2 at once', async () => {
      await warm(node2, 'membership', () => list(node2, carol).expect(200));
      await http(node1).post(`/api/v1/travels/${world.travel.id}/leave`).set(carol.auth).expect(204);
      await list(node2, carol).expect(403);
    });

    it('deleting the travel (and so its planets) on node 1 is refused on node 2 at once', async () => {
      const dave = await createUser(db.env);
      const other = await buildWorld({ host, members: [dave] });
      const listOther = (node: AppProcess) => http(node).get(`/api/v1/planets/${other.planet.id}/messages`).set(dave.auth);
      await warm(node2, 'membership', () => listOther(node2).expect(200));
      await http(node1).delete(`/api/v1/travels/${other.travel.id}`).set(host.auth).expect(204);
      await listOther(node2).expect(403);
    });

    it('a planet joined on node 1 is usable on node 2 at once (cached "not a member" is dropped)', async () => {
      const erin = await createUser(db.env);
      const w = await buildWorld({ host, members: [erin] });
      const planet2 = (await http(node1).post(`/api/v1/travels/${w.travel.id}/planets`).set(host.auth).send({ name: '두번째' }).expect(201))
        .body as { id: number };
      const listP2 = (node: AppProcess) => http(node).get(`/api/v1/planets/${planet2.id}/messages`).set(erin.auth);
      await warm(node2, 'membership', () => listP2(node2).expect(403));
      await http(node1).post(`/api/v1/planets/${planet2.id}/join`).set(erin.auth).expect(200);
      await listP2(node2).expect(200);
    });
  });
});
