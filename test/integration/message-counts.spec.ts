import { QueryRunner } from 'typeorm';
import { Message } from '../../src/modules/message/message.entity';
import { MessageType } from '../../src/modules/message/message.enums';
import { MembershipStatus } from '../../src/common/membership/membership';
import { MessageReadReceipt } from '../../src/modules/message/message-read-receipt.entity';
import { buildWorld, createUser, planetWith, setPlanetState, UserFixture } from '../factories';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

/** Counts every SQL statement that goes through one query runner. */
function countingRunner(db: SuiteDb): { runner: QueryRunner; count: () => number; release: () => Promise<void> } {
  const runner = db.dataSource.createQueryRunner();
  const spy = jest.spyOn(runner, 'query');
  return { runner, count: () => spy.mock.calls.length, release: () => runner.release() };
}

async function post(planetId: number, senderId: number, content: string, replyTo: string | null = null): Promise<string> {
  const out = await Message.insertForMember({
    planetId,
    senderId,
    type: MessageType.TEXT,
    content,
    replyToMessageId: replyTo,
    attachments: [],
    clientId: null,
  });
  if (out.kind !== 'created') throw new Error(out.kind);
  return out.message.id;
}

/** Moves the user's read watermark forward to `messageId`, through the entity that owns the table. */
async function setWatermark(planetId: number, userId: number, messageId: string): Promise<void> {
  await MessageReadReceipt.advance([{ planetId, userId, messageId: BigInt(messageId) }]);
}

describe('Message counts (findWithCounts, getReadCount, getReplyCount, findPlanetSummaries)', () => {
  let db: SuiteDb;
  let members: UserFixture[];
  let planetId: number;
  let ids: string[];

  beforeAll(async () => {
    db = await openSuiteDb('msgcounts');
    members = await Promise.all(Array.from({ length: 5 }, () => createUser(db.env)));
    planetId = await planetWith(members[0], members.slice(1));
    ids = [];
    for (let i = 0; i < 120; i++)
      ids.push(await post(planetId, members[i % 5].user.id, `메시지 ${i}`, i > 0 && i % 10 === 0 ? ids[0] : null));
    await setWatermark(planetId, members[1].user.id, ids[59]);
    await setWatermark(planetId, members[2].user.id, ids[119]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('runs the same number of SQL statements (at most 3) for page sizes 1, 20 and 100', async () => {
    const counts: number[] = [];
    for (const limit of [1, 20, 100]) {
      const c = countingRunner(db);
      try {
        const page = await Message.findWithCounts(planetId, { limit }, c.runner.manager);
        expect(page.data).toHaveLength(limit);
        counts.push(c.count());
      } finally {
        await c.release();
      }
    }
    expect(counts[0]).toBeLessThanOrEqual(3);
    expect(new Set(counts).size).toBe(1);
  });

  it('counts what a person would count by hand', async () => {
    // members[0..4]; watermarks: m1 → ids[59], m2 → ids[119]; message i was sent by members[i % 5].
    const page = await Message.findWithCounts(planetId, { after: String(BigInt(ids[0]) - 1n), limit: 100 });
    for (const [i, item] of page.data.entries()) {
      const sender = i % 5;
      const readers = [i <= 59 && sender !== 1, sender !== 2].filter(Boolean).length;
      expect({ i, read: item.readCount, unread: item.unreadCount }).toEqual({ i, read: readers, unread: 4 - readers });
      expect(item.replyCount).toBe(i === 0 ? 11 : 0);
    }
    expect(await Message.getReadCount(ids[10])).toBe(2);
    expect(await Message.getReadCount(ids[61])).toBe(1); // sent by members[1]; only members[2] read that far
    expect(await Message.getReadCount(ids[62])).toBe(0); // members[2] sent it, members[1] stopped at 59
    expect(await Message.getReplyCount(ids[0])).toBe(11);
  });

  it('counts only ACTIVE members: a member who left neither reads nor is unread', async () => {
    const world = await buildWorld({ host: members[0], members: [members[1], members[2]] });
    const planet = world.planet.id;
    const m = await post(planet, members[0].user.id, 'hello');
    await setWatermark(planet, members[1].user.id, m);
    await setPlanetState(world, world.planet, members[1], MembershipStatus.LEFT);
    const [item] = (await Message.findWithCounts(planet, { limit: 1 })).data;
    expect(item).toMatchObject({ readCount: 0, unreadCount: 1 });
    expect(await Message.getReadCount(m)).toBe(0);
  });

  it('does not count deleted replies', async () => {
    const planet = await planetWith(members[0], [members[1]]);
    const root = await post(planet, members[0].user.id, 'root');
    const r1 = await post(planet, members[1].user.id, 'r1', root);
    await post(planet, members[1].user.id, 'r2', root);
    await Message.softDeleteById(r1);
    expect(await Message.getReplyCount(root)).toBe(1);
  });

  it('gives each planet its unread count and last message in one statement', async () => {
    const me = members[3].user.id;
    const quiet = await planetWith(members[0], [{ id: me }]);
    const busy = await planetWith(members[0], [{ id: me }]);
    const b1 = await post(busy, members[0].user.id, 'b1');
    await post(busy, me, 'mine');
    const b3 = await post(busy, members[0].user.id, 'b3');
    await setWatermark(busy, me, b1);
    const c = countingRunner(db);
    try {
      const summaries = await Message.findPlanetSummaries(me, [quiet, busy, planetId], c.runner.manager);
      expect(c.count()).toBe(1);
      expect(summaries.map((s) => s.planetId)).toEqual([quiet, busy, planetId]);
      expect(summaries[0]).toEqual({ planetId: quiet, unreadCount: 0, lastMessage: null });
      expect(summaries[1]).toMatchObject({ unreadCount: 1, lastMessage: { message: { id: b3 }, sender: { id: members[0].user.id } } });
      expect(summaries[2].unreadCount).toBe(96); // 120 messages, 24 of them sent by members[3], none read
    } finally {
      await c.release();
    }
  });
});
