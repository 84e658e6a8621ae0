import { MembershipStatus } from '../../src/common/membership/membership';
import { MessageBroadcaster } from '../../src/modules/message/gateway/message-broadcaster';
import type { ReceiptUpdated } from '../../src/modules/message/gateway/socket-events';
import { Message } from '../../src/modules/message/message.entity';
import { Planet } from '../../src/modules/planet/planet.entity';
import { ReadReceiptBatcher } from '../../src/modules/message/receipts/read-receipt-batcher';
import { buildWorld, createMessage, createUser, setPlanetState, UserFixture, watermark, World } from '../factories';
import { createDataSource } from '../../src/config/database.config';
import { openSuiteDb, SuiteDb, testEnv } from '../helpers/test-db';

describe('read receipts, batched', () => {
  let db: SuiteDb;
  let users: UserFixture[];
  let broadcasts: ReceiptUpdated[];
  let batcher: ReadReceiptBatcher;

  const make = (env: Record<string, string> = {}) => {
    const broadcaster = { receiptUpdated: (r: ReceiptUpdated) => broadcasts.push(r) } as unknown as MessageBroadcaster;
    return new ReadReceiptBatcher(db.dataSource, broadcaster, testEnv({ READ_RECEIPT_FLUSH_MS: '30', ...env }));
  };

  /** Each test's own world (so no test depends on another's watermarks): users[0] hosts, the others are ACTIVE members; 10 messages sent round-robin by users 0, 1, 2. */
  async function chat(): Promise<{ world: World; planetId: number; ids: string[] }> {
    const world = await buildWorld({ host: users[0], members: users.slice(1) });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await createMessage(world.planet, users[i % 3], `m${i}`)).id);
    return { world, planetId: world.planet.id, ids };
  }

  beforeAll(async () => {
    db = await openSuiteDb('receipts');
    users = await Promise.all(Array.from({ length: 12 }, () => createUser(db.env)));
  });
  beforeEach(() => {
    broadcasts = [];
    batcher = make();
  });
  afterAll(async () => {
    await db.close();
  });

  it('coalesces many read events from many users into one statement, keeping each max', async () => {
    const { planetId, ids } = await chat();
    const events: Promise<void>[] = [];
    for (let round = 0; round < 10; round++) {
      for (const u of users.slice(3)) events.push(batcher.markRead(planetId, u.user.id, ids[(round * 7 + u.user.id) % 10]));
    }
    await Promise.all(events);
    expect(batcher.flushCount).toBe(1);
    for (const u of users.slice(3)) {
      const mine = Array.from({ length: 10 }, (_, round) => BigInt(ids[(round * 7 + u.user.id) % 10]));
      const max = mine.reduce((a, b) => (a > b ? a : b));
      expect(await watermark(planetId, u.user.id)).toBe(String(max));
    }
    expect(broadcasts).toHaveLength(users.length - 3);
  });

  it('never moves a watermark back, and broadcasts only real moves (out-of-order and duplicate events)', async () => {
    const { planetId, ids } = await chat();
    const [, bob, carol] = users;
    await batcher.markRead(planetId, bob.user.id, ids[6]);
    await batcher.markRead(planetId, bob.user.id, ids[2]); // older: ignored
    await batcher.markRead(planetId, bob.user.id, ids[6]); // duplicate: ignored
    await Promise.all([batcher.markRead(planetId, carol.user.id, ids[8]), batcher.markRead(planetId, carol.user.id, ids[4])]);
    expect(await watermark(planetId, bob.user.id)).toBe(ids[6]);
    expect(await watermark(planetId, carol.user.id)).toBe(ids[8]);
    expect(broadcasts).toEqual([
      { planetId, userId: bob.user.id, lastReadMessageId: ids[6] },
      { planetId, userId: carol.user.id, lastReadMessageId: ids[8] },
    ]);
    // users[0] sent 0,3,6,9; users[1] (bob) 1,4,7; users[2] (carol) 2,5,8. Readers: bob ≤ 6, carol ≤ 8, nobody else.
    const page = await Message.findWithCounts(planetId, { after: '0', limit: 10 });
    const expected = ids.map((_, i) => [i <= 6 && i % 3 !== 1, i <= 8 && i % 3 !== 2].filter(Boolean).length);
    expect(page.data.map((d) => d.readCount)).toEqual(expected);
    expect(page.data.map((d) => d.unreadCount)).toEqual(expected.map((r) => users.length - 1 - r));
  });

  it('flushes at once when the batch is full', async () => {
    const { planetId, ids } = await chat();
    batcher = make({ READ_RECEIPT_FLUSH_MS: '10000', READ_RECEIPT_MAX_BATCH: '2' });
    const started = Date.now();
    await Promise.all([batcher.markRead(planetId, users[3].user.id, ids[9]), batcher.markRead(planetId, users[4].user.id, ids[9])]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await watermark(planetId, users[3].user.id)).toBe(ids[9]);
  });

  it('flushes what is pending on shutdown', async () => {
    const { planetId, ids } = await chat();
    batcher = make({ READ_RECEIPT_FLUSH_MS: '10000' });
    const pending = batcher.markRead(planetId, users[5].user.id, ids[9]);
    expect(batcher.pendingCount).toBe(1);
    await batcher.beforeApplicationShutdown();
    await pending;
    expect(await watermark(planetId, users[5].user.id)).toBe(ids[9]);
  });

  it('drops events of members who LEFT or were BANNED, of messages of other planets, and of deleted planets', async () => {
    const { world, planetId, ids } = await chat();
    const [, gone, banned, member] = users;
    const other = await buildWorld({ host: users[0] });
    const foreign = await createMessage(other.planet, users[0], 'x'); // throws unless it was created: no fallback id
    expect(BigInt(foreign.id)).toBeGreaterThan(BigInt(ids[9]));
    await setPlanetState(world, world.planet, gone, MembershipStatus.LEFT);
    await setPlanetState(world, world.planet, banned, MembershipStatus.BANNED);
    const fresh = await createUser(db.env);
    await setPlanetState(world, world.planet, fresh, MembershipStatus.ACTIVE); // joining catches up: watermark = ids[9]
    expect(await watermark(planetId, fresh.user.id)).toBe(ids[9]);
    await Promise.all([
      batcher.markRead(planetId, gone.user.id, ids[9]),
      batcher.markRead(planetId, banned.user.id, ids[9]),
      batcher.markRead(planetId, fresh.user.id, foreign.id),
    ]);
    expect(await watermark(planetId, gone.user.id)).toBeNull();
    expect(await watermark(planetId, banned.user.id)).toBeNull();
    expect(await watermark(planetId, fresh.user.id)).toBe(ids[9]);
    expect(broadcasts).toEqual([]);

    // An ACTIVE membership of a deleted planet moves nothing either.
    await Planet.update({ id: planetId }, { deletedAt: new Date() });
    await batcher.markRead(planetId, member.user.id, ids[9]);
    expect(await watermark(planetId, member.user.id)).toBeNull();
    expect(broadcasts).toEqual([]);
    // …while the same event on a live planet does move (the check above can fail).
    await batcher.markRead(other.planet.id, users[0].user.id, foreign.id);
    expect(await watermark(other.planet.id, users[0].user.id)).toBe(foreign.id);
  });

  it('lets two nodes flush overlapping batches at once without deadlocking', async () => {
    const { planetId, ids } = await chat();
    const second = createDataSource(db.env);
    await second.initialize();
    try {
      const broadcaster = { receiptUpdated: () => undefined } as unknown as MessageBroadcaster;
      const node1 = new ReadReceiptBatcher(db.dataSource, broadcaster, testEnv({ READ_RECEIPT_FLUSH_MS: '1000' }));
      const node2 = new ReadReceiptBatcher(second, broadcaster, testEnv({ READ_RECEIPT_FLUSH_MS: '1000' }));
      const members = users.slice(1);
      for (let round = 0; round < 30; round++) {
        const id = ids[round % ids.length];
        const a = members.map((u) => node1.markRead(planetId, u.user.id, id));
        const b = [...members].reverse().map((u) => node2.markRead(planetId, u.user.id, id));
        await Promise.all([node1.flush(), node2.flush(), ...a, ...b]);
      }
      const last = ids[29 % ids.length];
      for (const u of members) expect(BigInt((await watermark(planetId, u.user.id)) ?? 0)).toBeGreaterThanOrEqual(BigInt(last));
    } finally {
      await second.destroy();
    }
  });
});
