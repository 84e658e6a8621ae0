import { DataSource } from 'typeorm';
import { buildWorld, createUser, planetWith, type UserFixture } from '../factories';
import { ClientSocket, connectSocket, emitAck, SocketRecorder } from '../helpers/socket';
import { MembershipStatus } from '../../src/common/membership/membership';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Msg {
  id: string;
  content: string | null;
  deleted: boolean;
  editedAt: string | null;
  changeSeq: string;
}

/** API.md's one error shape. */
function expectAppError(res: { status: number; body: Record<string, unknown> }, status: number): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
}

describe('GET /planets/:planetId/changes — the resync cursor', () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let outsider: UserFixture;
  let planetId: number;
  const sockets: ClientSocket[] = [];

  const send = (u: UserFixture, content: string, planet = planetId) =>
    t.http.post(`/api/v1/planets/${planet}/messages`).set(u.auth).send({ content }).expect(201);
  const changes = (u: UserFixture, query = '', planet = planetId) => t.http.get(`/api/v1/planets/${planet}/changes${query}`).set(u.auth);
  const list = (u: UserFixture, planet = planetId) => t.http.get(`/api/v1/planets/${planet}/messages`).set(u.auth);

  beforeAll(async () => {
    t = await startTestApp({ tag: 'changes' });
    [alice, bob, outsider] = await Promise.all([createUser(t.env), createUser(t.env), createUser(t.env)]);
    planetId = await planetWith(alice, [bob]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('after a reconnect returns the new message, the edit of an older one and the delete, each once, in order', async () => {
    const planet = await planetWith(alice, [bob]);
    const old = (await send(alice, '부산역에서 10시', planet)).body as Msg;
    const doomed = (await send(bob, '지울 메시지', planet)).body as Msg;
    const first = await changes(bob, '', planet).expect(200);
    expect(first.body.data.map((m: Msg) => m.id)).toEqual([old.id, doomed.id]);
    const cursor: string = first.body.nextCursor;
    expect(cursor).toBe(doomed.changeSeq);

    // bob is away: alice edits an old message twice, sends, and deletes bob's message
    await t.http.patch(`/api/v1/messages/${old.id}`).set(alice.auth).send({ content: '부산역에서 11시' }).expect(200);
    await t.http.patch(`/api/v1/messages/${old.id}`).set(alice.auth).send({ content: '부산역에서 11시 반' }).expect(200);
    const fresh = (await send(alice, '늦어요', planet)).body as Msg;
    await t.http.delete(`/api/v1/messages/${doomed.id}`).set(bob.auth).expect(204);

    const res = await changes(bob, `?since=${cursor}`, planet).expect(200);
    expect(res.body.hasMore).toBe(false);
    expect(res.body.data.map((m: Msg) => m.id)).toEqual([old.id, fresh.id, doomed.id]);
    const [edited, created, tomb] = res.body.data as Msg[];
    expect(edited).toMatchObject({
      id: old.id,
      planetId: planet,
      senderId: alice.user.id,
      sender: { id: alice.user.id },
      content: '부산역에서 11시 반',
      deleted: false,
    });
    expect(edited.editedAt).toEqual(expect.any(String));
    expect(created).toMatchObject({ content: '늦어요', deleted: false, changeSeq: fresh.changeSeq });
    expect(tomb).toMatchObject({ id: doomed.id, deleted: true, content: null, attachments: [] });
    const seqs = res.body.data.map((m: Msg) => BigInt(m.changeSeq));
    expect(seqs).toEqual([...seqs].sort((x: bigint, y: bigint) => (x < y ? -1 : 1)));
    expect(seqs[0]).toBeGreaterThan(BigInt(cursor));
    expect(res.body.nextCursor).toBe(tomb.changeSeq);

    const again = await changes(bob, `?since=${res.body.nextCursor}`, planet).expect(200);
    expect(again.body).toEqual({ data: [], nextCursor: res.body.nextCursor, hasMore: false });
  });

  it('pages with a small limit: nextCursor and hasMore, no gap, no repeat', async () => {
    const planet = await planetWith(alice, [bob]);
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push(((await send(alice, `m${i}`, planet)).body as Msg).id);
    await t.http.patch(`/api/v1/messages/${sent[1]}`).set(alice.auth).send({ content: 'm1 수정' }).expect(200);
    const seen: string[] = [];
    let cursor = '0';
    let pages = 0;
    for (let more = true; more; pages++) {
      const page = await changes(alice, `?since=${cursor}&limit=2`, planet).expect(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((m: Msg) => m.id));
      cursor = page.body.nextCursor;
      more = page.body.hasMore;
    }
    expect(seen).toEqual([sent[0], sent[2], sent[3], sent[4], sent[1]]);
    expect(pages).toBe(3);
  });

  it('refuses a cursor that is not plain decimal digits within range with 400 naming since', async () => {
    for (const bad of ['abc', '-1', '+1', '1e3', '0x1', '01', '1.0', '1%0A', '%201', '9223372036854775808', '99999999999999999999']) {
      const res = await changes(alice, `?since=${bad}`).expect(400);
      expectAppError(res, 400);
      expect(res.body.details[0].field).toBe('since');
    }
    expect((await changes(alice, '?since=1&since=2').expect(400)).body.details[0].field).toBe('since');
    await changes(alice, '?since=9223372036854775807').expect(200);
    await changes(alice, '?since=0').expect(200);
    for (const bad of ['0', '501', 'x', '1.5'])
      expect((await changes(alice, `?limit=${bad}`).expect(400)).body.details[0].field).toBe('limit');
    expect((await changes(alice, '?after=1').expect(400)).body.details[0].field).toBe('after');
    await t.http.get('/api/v1/planets/abc/changes').set(alice.auth).expect(400);
  });

  it('answers non-members, members who left, and planets that are gone or deleted exactly as the message list does', async () => {
    const planet = await planetWith(alice, [bob]);
    await send(alice, '비밀', planet);
    const cases: [string, UserFixture, number][] = [['outsider', outsider, planet]];
    const left = (await buildWorld({ host: alice, states: [[bob, MembershipStatus.LEFT]] })).planet.id;
    cases.push(['member who left', bob, left]);
    const banned = (await buildWorld({ host: alice, states: [[bob, MembershipStatus.BANNED]] })).planet.id;
    cases.push(['banned member', bob, banned]);
    const deleted = await planetWith(alice, [bob]);
    await t.app.get(DataSource).query('UPDATE planet SET deleted_at = now() WHERE id = $1', [deleted]);
    cases.push(['deleted planet', bob, deleted]);
    cases.push(['unknown planet', alice, 2147483000]);
    for (const [why, user, p] of cases) {
      const listed = await list(user, p);
      const res = await changes(user, '', p);
      expect({ why, status: res.status }).toEqual({ why, status: listed.status });
      expect([403, 404]).toContain(res.status);
      expectAppError(res, res.status);
      expect(JSON.stringify(res.body)).not.toContain('비밀');
    }
    await t.http.get(`/api/v1/planets/${planet}/changes`).expect(401);
  });

  it('puts the same changeSeq on message:new, message:updated and message:deleted as the feed', async () => {
    const socket = await connectSocket(t.url, bob.token);
    sockets.push(socket);
    const rec = new SocketRecorder(socket);
    const ack = await emitAck<{ ok: true; message: Msg }>(socket, 'message:send', { planetId, content: '소켓으로 보냄' });
    const created = await rec.next<Msg>('message:new', (m) => m.id === ack.message.id);
    expect(created.changeSeq).toBe(ack.message.changeSeq);
    await t.http.patch(`/api/v1/messages/${created.id}`).set(bob.auth).send({ content: '소켓 수정' }).expect(200);
    const updated = await rec.next<Msg>('message:updated', (m) => m.id === created.id);
    await t.http.delete(`/api/v1/messages/${created.id}`).set(bob.auth).expect(204);
    const deleted = await rec.next<{ id: string; planetId: number; changeSeq: string }>('message:deleted', (m) => m.id === created.id);
    expect(BigInt(updated.changeSeq)).toBeGreaterThan(BigInt(created.changeSeq));
    expect(BigInt(deleted.changeSeq)).toBeGreaterThan(BigInt(updated.changeSeq));
    const feed = await changes(bob, `?since=${BigInt(created.changeSeq) - 1n}`).expect(200);
    const mine = feed.body.data.filter((m: Msg) => m.id === created.id);
    expect(mine).toEqual([expect.objectContaining({ deleted: true, changeSeq: deleted.changeSeq })]);
  });

  it('is described in the OpenAPI document with its query parameters and answer', async () => {
    const spec = (await t.http.get('/docs/json').expect(200)).body;
    const op = spec.paths['/api/v1/planets/{planetId}/changes']?.get;
    expect(op.summary).toMatch(/since a cursor/);
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['limit', 'planetId', 'since']);
    const schema = op.responses['200'].content['application/json'].schema.$ref.split('/').pop();
    expect(Object.keys(spec.components.schemas[schema].properties).sort()).toEqual(['data', 'hasMore', 'nextCursor']);
    expect(spec.components.schemas.MessageResponseDto.properties.changeSeq).toMatchObject({ type: 'string' });
  });
});
