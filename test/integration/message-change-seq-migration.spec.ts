import { AddMessageChangeSeq1796191000000 } from '../../migration/1796191000000-AddMessageChangeSeq';
import { Message } from '../../src/modules/message/message.entity';
import { createMessage } from '../factories/message.factory';
import { createPlanet, joinPlanet } from '../factories/planet.factory';
import { addMember, createTravel } from '../factories/travel.factory';
import { createUser } from '../factories/user.factory';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

describe('migration AddMessageChangeSeq on a table with messages (real PostgreSQL)', () => {
  let db: SuiteDb;
  beforeAll(async () => {
    db = await openSuiteDb('changeseqmig');
  });
  afterAll(async () => {
    await db.close();
  });

  it('backfills existing rows in id order, then keeps numbering every write, and its down() removes it all', async () => {
    const [alice, bob] = [await createUser(db.env), await createUser(db.env)];
    const travel = await createTravel(alice);
    await addMember(travel, bob);
    const [p1, p2] = [await createPlanet(travel, alice), await createPlanet(travel, alice)];
    await joinPlanet(p1, bob);
    for (let i = 0; i < 5; i++) await createMessage(i % 2 ? p1 : p2, alice, `전 ${i}`);

    const migration = new AddMessageChangeSeq1796191000000();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const leftovers = await runner.query(
        `SELECT (SELECT count(*) FROM information_schema.columns WHERE table_name = 'message' AND column_name = 'change_seq')::int AS columns,
                (SELECT count(*) FROM pg_class WHERE relname IN ('message_change_seq', 'IDX_message_planet_change_seq'))::int AS relations,
                (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'TRG_message_change_seq%')::int AS triggers,
                (SELECT count(*) FROM pg_proc WHERE proname = 'message_change_seq_trigger')::int AS functions`,
      );
      expect(leftovers).toEqual([{ columns: 0, relations: 0, triggers: 0, functions: 0 }]);
      // Rows written by the previous release: some edited, one deleted.
      await runner.query(
        `INSERT INTO message (planet_id, sender_id, content, searchable_text, edited_at, deleted_at)
         SELECT $1, $2, '옛 메시지 ' || g, '옛 메시지 ' || g, CASE WHEN g % 3 = 0 THEN now() END, CASE WHEN g = 7 THEN now() END FROM generate_series(1, 20) g`,
        [p1.id, alice.user.id],
      );
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    const rows: { id: string; change_seq: string | null }[] = await Message.query(`SELECT id, change_seq FROM message ORDER BY id`);
    expect(rows).toHaveLength(25);
    expect(rows.filter((r) => r.change_seq === null)).toEqual([]);
    const seqs = rows.map((r) => BigInt(r.change_seq!));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1))); // id order
    expect(new Set(seqs.map(String)).size).toBe(25);
    const [col] = await Message.query(
      `SELECT is_nullable FROM information_schema.columns WHERE table_name = 'message' AND column_name = 'change_seq'`,
    );
    expect(col.is_nullable).toBe('NO');
    const [idx] = await Message.query(
      `SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'IDX_message_planet_change_seq'`,
    );
    expect(idx.indisvalid).toBe(true);
    expect(await Message.query(`SELECT conname FROM pg_constraint WHERE conname = 'CHK_message_change_seq_not_null'`)).toEqual([]);

    // After the backfill, new writes come after every backfilled row.
    const fresh = await createMessage(p1, bob, '새 메시지');
    expect(BigInt(fresh.changeSeq)).toBeGreaterThan(seqs[seqs.length - 1]);
    const page = await Message.findChanges(p1.id, String(seqs[seqs.length - 1]), 10);
    expect(page.data.map((c) => c.message.id)).toEqual([fresh.id]);
    const all = await Message.findChanges(p1.id, '0', 100);
    expect(all.data).toHaveLength(2 + 20 + 1);
  });
});
