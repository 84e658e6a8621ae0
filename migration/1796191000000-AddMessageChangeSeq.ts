import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * One resync cursor for every change to a planet's messages (issue 7, part 6): `change_seq` is
 * taken from one sequence on every insert and again on every edit, delete or restore, so
 * `GET /planets/:planetId/changes?since=` can return new messages, edits and tombstones in one
 * order.
 *
 * No gaps: a sequence value is taken before commit, so without more care a transaction that took
 * 41 and commits after another that took 42 would be skipped by a reader that already moved past
 * 42. The trigger therefore takes a transaction-scoped advisory lock on the planet before it takes
 * the value: within a planet, values are handed out and committed one transaction at a time, so a
 * reader that sees N sees everything of that planet below N. (Other planets do not wait; the feed
 * is per planet.) The lock lives in the shared lock table: one statement that writes messages of
 * thousands of planets in one transaction needs max_locks_per_transaction to match; and two
 * transactions that each write messages of the same planets in opposite orders can deadlock
 * (PostgreSQL aborts one). The app writes one message per statement, so neither happens there.
 *
 * Live-table safe, like AddMessageSearchableTextGinIndex: the column is added without a default
 * (no rewrite), the triggers cover every write from then on, existing rows are backfilled in short
 * batches (the new route is not served before this migration has finished, so no reader can
 * overtake the backfill), NOT NULL is proven by a constraint validated without blocking writes,
 * and the index is built CONCURRENTLY: hence no transaction around this migration.
 */
/** Advisory lock class of change_seq (ASCII "msgc"); the second key is the planet id. */
const CHANGE_SEQ_LOCK_CLASS = 0x6d736763;
/** Columns whose change a client can see in the one message shape. */
const WATCHED = ['type', 'content', 'attachments', 'edited_at', 'deleted_at'];
const BATCH = 20000;

export class AddMessageChangeSeq1796191000000 implements MigrationInterface {
  name = 'AddMessageChangeSeq1796191000000';
  transaction = false as const;

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE IF NOT EXISTS "message_change_seq" AS bigint`);
    await q.query(`ALTER TABLE "message" ADD COLUMN IF NOT EXISTS "change_seq" bigint`);
    await q.query(`ALTER SEQUENCE "message_change_seq" OWNED BY "message"."change_seq"`);
    await q.query(`
      CREATE OR REPLACE FUNCTION message_change_seq_trigger() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        -- Held until commit: the next writer of this planet takes its value only after this one is visible.
        PERFORM pg_advisory_xact_lock(${CHANGE_SEQ_LOCK_CLASS}, NEW.planet_id);
        NEW.change_seq := nextval('message_change_seq');
        RETURN NEW;
      END
      $fn$`);
    await q.query(`DROP TRIGGER IF EXISTS "TRG_message_change_seq_insert" ON "message"`);
    await q.query(`
      CREATE TRIGGER "TRG_message_change_seq_insert" BEFORE INSERT ON "message"
      FOR EACH ROW EXECUTE FUNCTION message_change_seq_trigger()`);
    await q.query(`DROP TRIGGER IF EXISTS "TRG_message_change_seq_update" ON "message"`);
    // Only what a client sees: search backfills, FK actions (sender_id, reply_to_message_id) and no-op updates keep their place.
    await q.query(`
      CREATE TRIGGER "TRG_message_change_seq_update" BEFORE UPDATE OF ${WATCHED.map((c) => `"${c}"`).join(', ')} ON "message"
      FOR EACH ROW WHEN (${WATCHED.map((c) => `OLD."${c}" IS DISTINCT FROM NEW."${c}"`).join(' OR ')})
      EXECUTE FUNCTION message_change_seq_trigger()`);

    // Rows written before the triggers existed, in id order, in short autocommitted batches.
    const [{ min, max }] = (await q.query(
      `SELECT min(id)::text AS min, max(id)::text AS max FROM "message" WHERE "change_seq" IS NULL`,
    )) as {
      min: string | null;
      max: string | null;
    }[];
    if (min !== null && max !== null) {
      for (let from = BigInt(min); from <= BigInt(max); from += BigInt(BATCH)) {
        await q.query(
          `UPDATE "message" m SET "change_seq" = b.seq
           FROM (SELECT id, nextval('message_change_seq') AS seq FROM "message"
                 WHERE "id" >= $1 AND "id" < $2 AND "change_seq" IS NULL ORDER BY id) b
           WHERE m.id = b.id`,
          [from.toString(), (from + BigInt(BATCH)).toString()],
        );
      }
    }

    // SET NOT NULL on its own scans the table under an exclusive lock; a validated CHECK lets it skip the scan.
    await q.query(`ALTER TABLE "message" DROP CONSTRAINT IF EXISTS "CHK_message_change_seq_not_null"`);
    await q.query(`ALTER TABLE "message" ADD CONSTRAINT "CHK_message_change_seq_not_null" CHECK ("change_seq" IS NOT NULL) NOT VALID`);
    await q.query(`ALTER TABLE "message" VALIDATE CONSTRAINT "CHK_message_change_seq_not_null"`);
    await q.query(`ALTER TABLE "message" ALTER COLUMN "change_seq" SET NOT NULL`);
    await q.query(`ALTER TABLE "message" DROP CONSTRAINT "CHK_message_change_seq_not_null"`);

    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_message_planet_change_seq"`); // an INVALID leftover of an interrupted run
    await q.query(`CREATE INDEX CONCURRENTLY "IDX_message_planet_change_seq" ON "message" ("planet_id", "change_seq")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ${q.isTransactionActive ? '' : 'CONCURRENTLY '}IF EXISTS "IDX_message_planet_change_seq"`);
    await q.query(`DROP TRIGGER IF EXISTS "TRG_message_change_seq_update" ON "message"`);
    await q.query(`DROP TRIGGER IF EXISTS "TRG_message_change_seq_insert" ON "message"`);
    await q.query(`ALTER TABLE "message" DROP COLUMN IF EXISTS "change_seq"`); // drops the sequence it owns
    await q.query(`DROP SEQUENCE IF EXISTS "message_change_seq"`);
    await q.query(`DROP FUNCTION IF EXISTS message_change_seq_trigger()`);
  }
}
