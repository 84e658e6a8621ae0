import type { QueryRunner } from 'typeorm';
import { Message } from '../../src/modules/message/message.entity';
import { MessageType } from '../../src/modules/message/message.enums';
import type { ChangePage } from '../../src/modules/message/queries/message-changes';
import type { MessageRecord } from '../../src/modules/message/queries/message-row';
import { addMember, createMessage, createPlanet, createTravel, createUser, joinPlanet, type UserFixture } from '../factories';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

type Item = ChangePage['data'][number];
const seqs = (items: Item[]) => items.map((c) => BigInt(c.message.changeSeq));
const ids = (items: Item[]) => items.map((c) => c.message.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every change after `since`, page by page (the way a client drains the feed). */
async function drain(planetId: number, since: string, limit: number): Promise<{ items: Item[]; cursor: string; pages: number }> {
  const items: Item[] = [];
  let cursor = since;
  let pages = 0;
  for (;;) {
    const page = await Message.findChanges(planetId, cursor, limit);
    pages++;
    items.push(...page.data);
    if (page.data.length) expect(page.nextCursor).toBe(page.data[page.data.length - 1].message.changeSeq);
    else expect(page.nextCursor).toBe(cursor);
    cursor = page.nextCursor;
    if (!page.hasMore) return { items, cursor, pages };
  }
}

function expectStrictlyIncreasing(values: bigint[]): void {
  const bad = values.filter((v, i) => i > 0 && v <= values[i - 1]);
  expect(bad).toEqual([]);
}

describe('Message.findChanges: the change feed (real PostgreSQL)', () => {
  let db: SuiteDb;
  let alice: UserFixture;
  let bob: UserFixture;
  let travel: { id: number };

  beforeAll(async () => {
    db = await openSuiteDb('msgchanges');
    [alice, bob] = [await createUser(db.env), await createUser(db.env)];
    travel = await createTravel(alice);
    await addMember(travel, bob);
  });
  afterAll(async () => {
    await db.close();
  });

  async function newPlanet(): Promise<{ id: number }> {
    const planet = await createPlanet(travel, alice);
    await joinPlanet(planet, bob);
    return planet;
  }

  /** A probe of `runner`'s backend: resolves with the lock it waits on (pg_stat_activity), or null if it waits on none within `ms`. */
  async function waitsOnLock(runner: QueryRunner, ms = 10000): Promise<() => Promise<string | null>> {
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    return async () => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const [row] = await Message.query(`SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE pid = $1`, [pid]);
        if (row?.wait_event_type === 'Lock') return row.wait_event as string;
        await sleep(20);
      }
      return null;
    };
  }

  it('returns a new message, an edit of an old message and a delete after the cursor, each once, in change order', async () => {
    const planet = await newPlanet();
    const [m1, m2, m3] = [
      await createMessage(planet, alice, '첫 메시지'),
      await createMessage(planet, bob, '둘째'),
      await createMessage(planet, alice, '셋째'),
    ];
    const before = await Message.findChanges(planet.id, '0', 100);
    expect(ids(before.data)).toEqual([m1.id, m2.id, m3.id]);
    expectStrictlyIncreasing(seqs(before.data));
    const cursor = before.nextCursor;

    await Message.editContent(m1, alice.user.id, '첫 메시지 (수정)');
    const m4 = await createMessage(planet, bob, '넷째');
    expect(await Message.softDeleteById(m2.id)).toBe(true);

    const after = await Message.findChanges(planet.id, cursor, 100);
    expect(ids(after.data)).toEqual([m1.id, m4.id, m2.id]);
    expectStrictlyIncreasing([BigInt(cursor), ...seqs(after.data)]);
    expect(after.hasMore).toBe(false);
    const [edited, created, deleted] = after.data.map((c) => c.message);
    expect(edited).toMatchObject({ content: '첫 메시지 (수정)', deletedAt: null });
    expect(edited.editedAt).toBeInstanceOf(Date);
    expect(created).toMatchObject({ content: '넷째', senderId: bob.user.id });
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    expect(after.data[0].sender).toEqual({ id: alice.user.id, nickname: alice.profile.nickname });

    const nothing = await Message.findChanges(planet.id, after.nextCursor, 100);
    expect(nothing).toEqual({ data: [], nextCursor: after.nextCursor, hasMore: false });
  });

  it('returns a message changed many times while the client was away once, in its latest state', async () => {
    const planet = await newPlanet();
    const m = await createMessage(planet, alice, 'v0');
    const other = await createMessage(planet, bob, '그대로');
    const { nextCursor } = await Message.findChanges(planet.id, '0', 100);
    for (let v = 1; v <= 5; v++) await Message.editContent(m, alice.user.id, `v${v}`);
    const page = await Message.findChanges(planet.id, nextCursor, 100);
    expect(ids(page.data)).toEqual([m.id]);
    expect(page.data[0].message.content).toBe('v5');
    expect(ids(page.data)).not.toContain(other.id);
  });

  it('moves only on changes a client can see: not on a no-op edit, a search-text rewrite or another planet', async () => {
    const planet = await newPlanet();
    const elsewhere = await newPlanet();
    const m = await createMessage(planet, alice, '같은 내용');
    const { nextCursor } = await Message.findChanges(planet.id, '0', 100);
    await Message.query(`UPDATE message SET content = content WHERE id = $1`, [m.id]);
    await Message.query(`UPDATE message SET searchable_text = searchable_text || ' x' WHERE id = $1`, [m.id]);
    await createMessage(elsewhere, alice, '다른 방');
    expect((await Message.findChanges(planet.id, nextCursor, 100)).data).toEqual([]);
    await Message.query(`UPDATE message SET deleted_at = NULL WHERE id = $1`, [m.id]); // already live: no change
    expect((await Message.findChanges(planet.id, nextCursor, 100)).data).toEqual([]);
  });

  it('gives the same changes in pages of 1, 2 and 3 as in one page, with hasMore on all but the last', async () => {
    const planet = await newPlanet();
    const ms: MessageRecord[] = [];
    for (let i = 0; i < 7; i++) ms.push(await createMessage(planet, i % 2 ? bob : alice, `메시지 ${i}`));
    await Message.editContent(ms[0], alice.user.id, '수정 0');
    await Message.softDeleteById(ms[3].id);
    const whole = await Message.findChanges(planet.id, '0', 500);
    expect(whole.hasMore).toBe(false);
    expect(whole.data).toHaveLength(7);
    for (const limit of [1, 2, 3]) {
      const { items, cursor, pages } = await drain(planet.id, '0', limit);
      expect(ids(items)).toEqual(ids(whole.data));
      expect(cursor).toBe(whole.nextCursor);
      expect(pages).toBe(Math.ceil(7 / limit));
    }
  });

  describe('two concurrent transactions', () => {
    let t1: QueryRunner;
    let t2: QueryRunner;
    beforeEach(async () => {
      t1 = db.dataSource.createQueryRunner();
      t2 = db.dataSource.createQueryRunner();
      await t1.connect();
      await t2.connect();
    });
    afterEach(async () => {
      for (const t of [t1, t2]) {
        if (t.isTransactionActive) await t.rollbackTransaction();
        await t.release();
      }
    });

    const draft = (planetId: number, senderId: number, content: string) => ({
      planetId,
      senderId,
      type: MessageType.TEXT,
      content,
      replyToMessageId: null,
      attachments: [],
      clientId: null,
    });

    it('never lets a reader move past a change that commits later with a smaller change_seq', async () => {
      const planet = await newPlanet();
      const old = await createMessage(planet, alice, '예전 메시지');
      const start = (await Message.findChanges(planet.id, '0', 100)).nextCursor;

      // T1 edits the old message and stays open; T2 then sends a new message and wants to commit first.
      await t1.startTransaction();
      const edit = await Message.editContent(old, alice.user.id, '오래 걸린 수정', t1.manager);
      const editSeq = BigInt(edit!.message.changeSeq);
      await t2.startTransaction();
      const waiting = await waitsOnLock(t2);
      const send = Message.insertForMember(draft(planet.id, bob.user.id, '새 메시지'), t2.manager);
      expect(await waiting()).toBe('advisory'); // T2 cannot take a change_seq while T1 holds the planet's

      const during = await Message.findChanges(planet.id, start, 100);
      expect(during).toEqual({ data: [], nextCursor: start, hasMore: false });

      await t1.commitTransaction();
      const sent = await send;
      if (sent.kind !== 'created') throw new Error(sent.kind);
      expect(BigInt(sent.message.changeSeq)).toBeGreaterThan(editSeq);
      const afterT1 = await Message.findChanges(planet.id, start, 100); // T2 still open
      expect(ids(afterT1.data)).toEqual([old.id]);

      await t2.commitTransaction();
      const afterT2 = await Message.findChanges(planet.id, afterT1.nextCursor, 100);
      expect(ids(afterT2.data)).toEqual([sent.message.id]);
      expect((await Message.findChanges(planet.id, start, 100)).data.map((c) => c.message.content)).toEqual([
        '오래 걸린 수정',
        '새 메시지',
      ]);
    });

    it('does not make writers of different planets wait for each other', async () => {
      const [p1, p2] = [await newPlanet(), await newPlanet()];
      await t1.startTransaction();
      await Message.insertForMember(draft(p1.id, alice.user.id, '방 1'), t1.manager);
      await t2.startTransaction();
      let timer: NodeJS.Timeout | undefined;
      const blocked = new Promise<'blocked'>((resolve) => (timer = setTimeout(() => resolve('blocked'), 5000)));
      const other = await Promise.race([Message.insertForMember(draft(p2.id, bob.user.id, '방 2'), t2.manager), blocked]).finally(() =>
        clearTimeout(timer),
      );
      expect(other).toMatchObject({ kind: 'created' });
      await t2.commitTransaction();
      expect(ids((await Message.findChanges(p2.id, '0', 100)).data)).toHaveLength(1);
      await t1.commitTransaction();
    });

    it('without the per-planet lock, the same interleaving loses a change (what the lock prevents)', async () => {
      const [{ def }] = await Message.query(`SELECT pg_get_functiondef('message_change_seq_trigger'::regproc) AS def`);
      expect(def).toContain('pg_advisory_xact_lock');
      await Message.query(def.replace(/PERFORM pg_advisory_xact_lock\([^;]*;/, ''));
      try {
        const planet = await newPlanet();
        const start = (await Message.findChanges(planet.id, '0', 100)).nextCursor;
        await t1.startTransaction();
        const slow = await Message.insertForMember(draft(planet.id, alice.user.id, '먼저 번호를 받은 메시지'), t1.manager);
        await t2.startTransaction();
        const fast = await Message.insertForMember(draft(planet.id, bob.user.id, '먼저 커밋한 메시지'), t2.manager);
        await t2.commitTransaction();
        const seen = await Message.findChanges(planet.id, start, 100);
        await t1.commitTransaction();
        const next = await Message.findChanges(planet.id, seen.nextCursor, 100);
        if (slow.kind !== 'created' || fast.kind !== 'created') throw new Error('insert refused');
        expect(ids(seen.data)).toEqual([fast.message.id]);
        expect(next.data).toEqual([]); // the slow message was committed, yet the reader is past it for good
        expect(BigInt(slow.message.changeSeq)).toBeLessThan(BigInt(seen.nextCursor));
      } finally {
        await Message.query(def);
      }
      const [{ restored }] = await Message.query(`SELECT pg_get_functiondef('message_change_seq_trigger'::regproc) AS restored`);
      expect(restored).toContain('pg_advisory_xact_lock');
    });
  });

  it('pages with a small limit under concurrent inserts, edits and deletes without a gap or a duplicate', async () => {
    const planet = await newPlanet();
    const seed: MessageRecord[] = [];
    for (let i = 0; i < 10; i++) seed.push(await createMessage(planet, alice, `시작 ${i}`));
    const WRITERS = 4;
    const ROUNDS = 25;
    let rand = 7;
    const next = () => (rand = (rand * 1103515245 + 12345) % 2147483648) / 2147483648;
    const runners = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const r = db.dataSource.createQueryRunner();
        await r.connect();
        return r;
      }),
    );
    let writing = true;
    const writers = runners.map(async (r, w) => {
      for (let i = 0; i < ROUNDS; i++) {
        await r.startTransaction();
        const roll = next();
        const target = seed[Math.floor(next() * seed.length)];
        if (roll < 0.5) {
          const out = await Message.insertForMember(
            {
              planetId: planet.id,
              senderId: bob.user.id,
              type: MessageType.TEXT,
              content: `w${w}-${i}`,
              replyToMessageId: null,
              attachments: [],
              clientId: null,
            },
            r.manager,
          );
          if (out.kind === 'created') seed.push(out.message);
        } else if (roll < 0.85) {
          await Message.editContent(target, target.senderId!, `w${w}-${i} 수정`, r.manager);
        } else {
          await Message.softDeleteById(target.id, r.manager);
        }
        await r.query(`SELECT pg_sleep($1)`, [next() * 0.01]); // commit late, while others take their values
        await r.commitTransaction();
      }
    });
    const done = Promise.all(writers).finally(() => (writing = false));

    const seen: Item[] = [];
    let cursor = '0';
    while (writing) {
      const page = await Message.findChanges(planet.id, cursor, 3);
      seen.push(...page.data);
      cursor = page.nextCursor;
      if (!page.hasMore) await sleep(2);
    }
    await done;
    await Promise.all(runners.map((r) => r.release()));
    seen.push(...(await drain(planet.id, cursor, 3)).items);

    expectStrictlyIncreasing(seqs(seen)); // no duplicate, no reordering across pages
    const latest = new Map(seen.map((c) => [c.message.id, c.message]));
    const rows = await Message.find({ where: { planetId: planet.id }, withDeleted: true, order: { id: 'ASC' } });
    expect(rows.length).toBeGreaterThan(10 + WRITERS * ROUNDS * 0.3);
    const stale = rows.filter((row) => {
      const got = latest.get(row.id);
      return (
        !got || got.changeSeq !== row.changeSeq || got.content !== row.content || (got.deletedAt === null) !== (row.deletedAt === null)
      );
    });
    expect(stale.map((r) => r.id)).toEqual([]); // every message's last change reached the reader
  });
});
