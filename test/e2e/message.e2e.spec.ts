import { DataSource } from 'typeorm';
import { MembershipStatus } from '../../src/common/membership/membership';
import { MediaKind, MediaStatus } from '../../src/modules/media/media.enums';
import { Message } from '../../src/modules/message/message.entity';
import { MessageType } from '../../src/modules/message/message.enums';
import { buildWorld, createMedia, createUser, planetWith, setPlanetState, UserFixture } from '../factories';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('messages over REST', () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let outsider: UserFixture;
  let planetId: number;
  let otherPlanetId: number;

  const send = (u: UserFixture, body: object, planet = planetId) =>
    t.http.post(`/api/v1/planets/${planet}/messages`).set(u.auth).send(body);
  const list = (u: UserFixture, query = '', planet = planetId) => t.http.get(`/api/v1/planets/${planet}/messages${query}`).set(u.auth);

  beforeAll(async () => {
    t = await startTestApp({ tag: 'message' });
    [alice, bob, carol, outsider] = await Promise.all([createUser(t.env), createUser(t.env), createUser(t.env), createUser(t.env)]);
    planetId = await planetWith(alice, [bob, carol]);
    otherPlanetId = await planetWith(outsider, [alice]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a message with its sender and returns 201 in the one message shape', async () => {
    const res = await send(alice, { content: '내일 부산에서 만나요' }).expect(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      planetId,
      senderId: alice.user.id,
      sender: { id: alice.user.id, nickname: alice.profile.nickname },
      type: 'TEXT',
      content: '내일 부산에서 만나요',
      replyToMessageId: null,
      attachments: [],
      editedAt: null,
      deleted: false,
    });
  });

  it('stores searchableText for what it inserts', async () => {
    const res = await send(alice, { content: '  해운대   Beach  ' }).expect(201);
    const [row] = await t.app.get(DataSource).query('SELECT searchable_text FROM message WHERE id = $1', [res.body.id]);
    expect(row.searchable_text).toBe('해운대 beach');
  });

  it('returns 403 when the user is not a member of the planet, and persists nothing', async () => {
    const before = await list(alice).expect(200);
    const res = await send(outsider, { content: 'hi' }).expect(403);
    expect(res.body.message).toMatch(/not an active member/);
    await list(outsider).expect(403);
    const after = await list(alice).expect(200);
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  it('refuses empty, blank and over-long content with 400 naming the field', async () => {
    expect((await send(alice, {}).expect(400)).body.details[0].field).toBe('content');
    await send(alice, { content: '   ' }).expect(400);
    const long = await send(alice, { content: '가'.repeat(4001) }).expect(400);
    expect(long.body.details[0].field).toBe('content');
    await send(alice, { content: '가'.repeat(4000) }).expect(201);
    await send(alice, { content: 'x', extra: 1 }).expect(400);
    const nul = await send(alice, { content: 'a\u0000b' }).expect(400);
    expect(nul.body.details[0]).toEqual({ field: 'content', problem: 'must not contain NUL characters' });
  });

  it('refuses a reply to a message of another planet with 400', async () => {
    const foreign = await send(alice, { content: 'other planet' }, otherPlanetId).expect(201);
    const res = await send(alice, { content: 'reply', replyToMessageId: foreign.body.id }).expect(400);
    expect(res.body.details[0].field).toBe('replyToMessageId');
    await send(alice, { content: 'reply', replyToMessageId: '99999999999' }).expect(400);
    await send(alice, { content: 'reply', replyToMessageId: 'abc' }).expect(400);
    const overflow = await send(alice, { content: 'reply', replyToMessageId: '9999999999999999999' }).expect(400);
    expect(overflow.body.details[0].field).toBe('replyToMessageId');
  });

  it('makes a resend with the same clientId return the first message', async () => {
    const first = await send(bob, { content: 'once', clientId: 'c-1' }).expect(201);
    const again = await send(bob, { content: 'once', clientId: 'c-1' }).expect(201);
    expect(again.body.id).toBe(first.body.id);
    await send(bob, { content: 'elsewhere', clientId: 'c-1' }, otherPlanetId).expect(403);
  });

  it('answers 409 on clientId when the sender already used it in another planet of theirs, and stores nothing', async () => {
    const second = await planetWith(alice, [bob]); // bob is an ACTIVE member of both planets
    const first = await send(bob, { content: 'here', clientId: 'shared-1' }).expect(201);
    const res = await send(bob, { content: 'there', clientId: 'shared-1' }, second).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, details: [{ field: 'clientId' }] });
    expect((await list(bob, '', second).expect(200)).body.data).toEqual([]);
    // the same clientId in the first planet is still the idempotent resend
    expect((await send(bob, { content: 'here', clientId: 'shared-1' }).expect(201)).body.id).toBe(first.body.id);
  });

  it('sends with mediaIds: attachments in request order, the type from the first kind, file names searchable', async () => {
    const photo = await createMedia(bob, { fileName: 'Haeundae-Sunset.JPG' });
    const doc = await createMedia(bob, {
      kind: MediaKind.FILE,
      fileName: '일정표.pdf',
      mimeType: 'application/pdf',
      status: MediaStatus.READY,
    });
    const res = await send(bob, { mediaIds: [photo.id, doc.id, photo.id] }).expect(201);
    expect(res.body).toMatchObject({
      type: MessageType.IMAGE,
      content: null,
      attachments: [
        { mediaId: photo.id, kind: MediaKind.IMAGE, fileName: 'Haeundae-Sunset.JPG', mimeType: 'image/jpeg' },
        { mediaId: doc.id, kind: MediaKind.FILE, fileName: '일정표.pdf', mimeType: 'application/pdf' },
      ],
    });
    const stored = await Message.findOneByOrFail({ id: res.body.id });
    expect(stored.searchableText).toBe('haeundae-sunset.jpg 일정표.pdf');
    const hits = (await t.http.get('/api/v1/messages/search').query({ query: '일정표', planetId }).set(bob.auth).expect(200)).body.data;
    expect(hits.map((h: { id: string }) => h.id)).toEqual([res.body.id]);

    // someone else's media, media not uploaded yet, and unknown ids are refused, naming the field
    const carols = await createMedia(carol);
    const pending = await createMedia(bob, { status: MediaStatus.PENDING });
    for (const mediaIds of [[carols.id], [pending.id], [photo.id, 999999]]) {
      const bad = await send(bob, { content: 'with media', mediaIds }).expect(400);
      expect(bad.body.details[0].field).toBe('mediaIds');
    }
  });

  it('pages with before / after on the id, newest first and oldest first, with hasMore', async () => {
    const planet = await planetWith(alice, [bob]);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await send(alice, { content: `m${i}` }, planet).expect(201)).body.id);
    const latest = await list(alice, '?limit=3', planet).expect(200);
    expect(latest.body.data.map((m: { id: string }) => m.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(latest.body.hasMore).toBe(true);
    const older = await list(alice, `?limit=3&before=${ids[4]}`, planet).expect(200);
    expect(older.body.data.map((m: { id: string }) => m.id)).toEqual([ids[3], ids[2], ids[1]]);
    const oldest = await list(alice, `?limit=3&before=${ids[1]}`, planet).expect(200);
    expect(oldest.body).toMatchObject({ hasMore: false });
    expect(oldest.body.data.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
    const resync = await list(alice, `?after=${ids[2]}`, planet).expect(200);
    expect(resync.body.data.map((m: { id: string }) => m.id)).toEqual(ids.slice(3));
    expect(resync.body.hasMore).toBe(false);
    await list(alice, '?limit=101', planet).expect(400);
    await list(alice, '?before=-1', planet).expect(400);
    const tooBig = await list(alice, '?before=9999999999999999999', planet).expect(400);
    expect(tooBig.body.details[0].field).toBe('before');
    await list(alice, '?offset=10', planet).expect(400);
  });

  it('lets only the sender edit, sets editedAt, and 404s for non-members', async () => {
    const m = await send(bob, { content: '초안' }).expect(201);
    await t.http.patch(`/api/v1/messages/${m.body.id}`).set(alice.auth).send({ content: 'hack' }).expect(403);
    await t.http.patch(`/api/v1/messages/${m.body.id}`).set(outsider.auth).send({ content: 'hack' }).expect(404);
    await t.http.patch(`/api/v1/messages/${m.body.id}`).set(bob.auth).send({ content: '' }).expect(400);
    const res = await t.http.patch(`/api/v1/messages/${m.body.id}`).set(bob.auth).send({ content: '수정됨' }).expect(200);
    expect(res.body).toMatchObject({ id: m.body.id, content: '수정됨', editedAt: expect.any(String) });
    await t.http.patch('/api/v1/messages/abc').set(bob.auth).send({ content: 'x' }).expect(400);
  });

  it('soft-deletes for the sender or a planet admin and keeps a tombstone in lists', async () => {
    const byCarol = await send(carol, { content: '비밀' }).expect(201);
    const byBob = await send(bob, { content: '지울 것' }).expect(201);
    await t.http.delete(`/api/v1/messages/${byCarol.body.id}`).set(bob.auth).expect(403);
    await t.http.delete(`/api/v1/messages/${byCarol.body.id}`).set(carol.auth).expect(204);
    await t.http.delete(`/api/v1/messages/${byCarol.body.id}`).set(carol.auth).expect(204);
    await t.http.delete(`/api/v1/messages/${byBob.body.id}`).set(alice.auth).expect(204); // alice is the planet's ADMIN
    const res = await list(alice, `?after=${BigInt(byCarol.body.id) - 1n}`).expect(200);
    const tomb = res.body.data.find((m: { id: string }) => m.id === byCarol.body.id);
    expect(tomb).toMatchObject({ deleted: true, content: null, attachments: [] });
    await t.http.patch(`/api/v1/messages/${byCarol.body.id}`).set(carol.auth).send({ content: 'again' }).expect(404);
  });

  it('counts reads, unread and replies per message in lists', async () => {
    const planet = await planetWith(alice, [bob, carol]);
    const m1 = (await send(alice, { content: 'one' }, planet).expect(201)).body.id;
    const m2 = (await send(bob, { content: 'two', replyToMessageId: m1 }, planet).expect(201)).body.id;
    await send(carol, { content: 'three', replyToMessageId: m1 }, planet).expect(201);
    await t.http.post(`/api/v1/planets/${planet}/read`).set(bob.auth).send({ messageId: m2 }).expect(204);
    const res = await list(carol, `?after=${BigInt(m1) - 1n}`, planet).expect(200);
    const [one, two, three] = res.body.data;
    expect(one).toMatchObject({ id: m1, readCount: 1, unreadCount: 1, replyCount: 2 });
    expect(two).toMatchObject({ id: m2, readCount: 0, unreadCount: 2, replyCount: 0 });
    expect(three).toMatchObject({ readCount: 0, unreadCount: 2 });
  });

  it('refuses reads from non-members (403) and of messages of another planet (404)', async () => {
    const m = (await send(alice, { content: 'x' }).expect(201)).body.id;
    const foreign = (await send(alice, { content: 'y' }, otherPlanetId).expect(201)).body.id;
    await t.http.post(`/api/v1/planets/${planetId}/read`).set(outsider.auth).send({ messageId: m }).expect(403);
    await t.http.post(`/api/v1/planets/${planetId}/read`).set(bob.auth).send({ messageId: foreign }).expect(404);
    await t.http.post(`/api/v1/planets/${planetId}/read`).set(bob.auth).send({ messageId: 'x' }).expect(400);
    const huge = await t.http.post(`/api/v1/planets/${planetId}/read`).set(bob.auth).send({ messageId: '9223372036854775808' }).expect(400);
    expect(huge.body.details[0].field).toBe('messageId');
  });

  it('stops a member who left from sending or listing', async () => {
    const world = await buildWorld({ host: alice, members: [bob] });
    await setPlanetState(world, world.planet, bob, MembershipStatus.LEFT);
    await send(bob, { content: 'still here?' }, world.planet.id).expect(403);
    await list(bob, '', world.planet.id).expect(403);
  });

  it('requires a token', async () => {
    await t.http.get(`/api/v1/planets/${planetId}/messages`).expect(401);
    await t.http.post(`/api/v1/planets/${planetId}/messages`).send({ content: 'x' }).expect(401);
  });
});
