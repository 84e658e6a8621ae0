/**
 * bench/message-changes: what the change_seq trigger (sequence + per-planet advisory lock, migration
 * AddMessageChangeSeq) costs on the hot insert path, and what the change feed costs to read, against
 * baselines in the same run:
 *
 *  1. one connection, `Message.insertForMember` one row at a time (the `message:send` statement),
 *     with the trigger and without it (trigger disabled, column nullable: main's insert path), in
 *     alternating blocks so machine noise hits both alike;
 *  2. 8 concurrent writers for a few seconds, all into ONE planet (they serialise on the planet's
 *     lock) and each into its own planet, with and without the trigger: persisted messages per second;
 *  3. reading: `Message.findChanges` (page 100) at random cursors of a 100,000-message planet,
 *     against `Message.findWithCounts({ after })`, the old resync read, same page size.
 *
 *   flock /tmp/connecto-bench.lock npm run bench:message-changes   (BENCH_INSERTS=2000, BENCH_SECONDS=3)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { Message } from '../../src/modules/message/message.entity';
import { MessageType } from '../../src/modules/message/message.enums';
import { benchEnv, openBenchDb, percentile, round, stamp } from '../bench-db';

const INSERTS = Number(process.env.BENCH_INSERTS ?? 2000);
const BLOCK = 250;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WRITERS = 8;
const FEED_MESSAGES = 100_000;
const FEED_READS = 300;

type Variant = 'trigger' | 'none';

async function setVariant(ds: DataSource, v: Variant): Promise<void> {
  if (v === 'none') {
    await ds.query(`ALTER TABLE message DISABLE TRIGGER "TRG_message_change_seq_insert", ALTER COLUMN change_seq DROP NOT NULL`);
  } else {
    await ds.query(`UPDATE message SET change_seq = nextval('message_change_seq') WHERE change_seq IS NULL`);
    await ds.query(`ALTER TABLE message ENABLE TRIGGER "TRG_message_change_seq_insert", ALTER COLUMN change_seq SET NOT NULL`);
  }
}

const draft = (planetId: number, senderId: number, i: number) => ({
  planetId,
  senderId,
  type: MessageType.TEXT,
  content: `내일 부산역에서 10시에 만나요 ${i}`,
  replyToMessageId: null,
  attachments: [],
  clientId: null,
});

function stats(xs: number[]): { n: number; medianMs: number; p95Ms: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, medianMs: round(percentile(s, 50), 3), p95Ms: round(percentile(s, 95), 3) };
}

async function world(ds: DataSource): Promise<{ senderId: number; planets: number[]; feedPlanet: number }> {
  await ds.query(`TRUNCATE message, planet_user, planet, travel_user, travel, profile, "user" RESTART IDENTITY CASCADE`);
  const [user] = await ds.query(`INSERT INTO "user" (email, password_hash) VALUES ('bench-changes@example.com', 'x') RETURNING id`);
  await ds.query(`INSERT INTO profile (user_id, nickname) VALUES ($1, '여행자')`, [user.id]);
  const [travel] = await ds.query(`INSERT INTO travel (title, visibility, created_by_id) VALUES ('bench', 'PUBLIC', $1) RETURNING id`, [
    user.id,
  ]);
  const planets: { id: number }[] = await ds.query(
    `INSERT INTO planet (travel_id, name, created_by_id) SELECT $1, '방 ' || g, $2 FROM generate_series(1, $3) g RETURNING id`,
    [travel.id, user.id, WRITERS + 1],
  );
  await ds.query(`INSERT INTO planet_user (planet_id, user_id, status) SELECT id, $1, 'ACTIVE' FROM planet`, [user.id]);
  const ids = planets.map((p) => p.id);
  return { senderId: user.id, planets: ids.slice(0, WRITERS), feedPlanet: ids[WRITERS] };
}

async function sequential(ds: DataSource, planetId: number, senderId: number): Promise<Record<Variant, ReturnType<typeof stats>>> {
  const times: Record<Variant, number[]> = { trigger: [], none: [] };
  let i = 0;
  for (let done = 0; done < INSERTS; done += BLOCK) {
    for (const v of (done / BLOCK) % 2 ? (['none', 'trigger'] as const) : (['trigger', 'none'] as const)) {
      await setVariant(ds, v);
      for (let k = 0; k < BLOCK; k++) {
        const t = performance.now();
        const out = await Message.insertForMember(draft(planetId, senderId, i++));
        times[v].push(performance.now() - t);
        if (out.kind !== 'created') throw new Error(out.kind);
      }
    }
  }
  return { trigger: stats(times.trigger), none: stats(times.none) };
}

async function concurrent(ds: DataSource, v: Variant, planetIds: number[], senderId: number): Promise<number> {
  await setVariant(ds, v);
  const until = performance.now() + SECONDS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_x, w) => {
      while (performance.now() < until) {
        await Message.insertForMember(draft(planetIds[w % planetIds.length], senderId, n));
        n++;
      }
    }),
  );
  return round(n / SECONDS, 0);
}

async function feed(ds: DataSource, planetId: number, senderId: number) {
  await ds.query(
    `INSERT INTO message (planet_id, sender_id, type, content, searchable_text)
     SELECT $1, $2, 'TEXT', '부산 여행 메시지 ' || g, '부산 여행 메시지 ' || g FROM generate_series(1, $3) g`,
    [planetId, senderId, FEED_MESSAGES],
  );
  // Some old messages edited and deleted later, as in a live planet.
  await ds.query(`UPDATE message SET content = content || ' (수정)', edited_at = now() WHERE planet_id = $1 AND id % 40 = 0`, [planetId]);
  await ds.query(`UPDATE message SET deleted_at = now() WHERE planet_id = $1 AND id % 97 = 0`, [planetId]);
  await ds.query(`VACUUM ANALYZE message`);
  const [r] = await ds.query(
    `SELECT min(change_seq)::text AS smin, max(change_seq)::text AS smax, min(id)::text AS imin, max(id)::text AS imax FROM message WHERE planet_id = $1`,
    [planetId],
  );
  const pick = (lo: string, hi: string) => (BigInt(lo) + BigInt(Math.floor(Math.random() * Number(BigInt(hi) - BigInt(lo))))).toString();
  const changes: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < FEED_READS; i++) {
    let t = performance.now();
    const page = await Message.findChanges(planetId, pick(r.smin, r.smax), 100);
    changes.push(performance.now() - t);
    t = performance.now();
    await Message.findWithCounts(planetId, { after: pick(r.imin, r.imax), limit: 100 });
    after.push(performance.now() - t);
    if (page.data.length === 0) throw new Error('empty feed page');
  }
  return { findChanges: stats(changes), findWithCountsAfter: stats(after) };
}

async function main(): Promise<void> {
  const env = benchEnv(process.env.BENCH_DB ?? 'connecto_bench_changes');
  const ds = await openBenchDb(env, WRITERS + 2);
  try {
    const { senderId, planets, feedPlanet } = await world(ds);
    console.log(`sequential inserts, ${INSERTS} per variant in alternating blocks of ${BLOCK}…`);
    const seq = await sequential(ds, planets[0], senderId);
    const seqRatio = round(seq.trigger.medianMs / seq.none.medianMs, 2);
    console.log(
      `  with trigger median ${seq.trigger.medianMs} ms p95 ${seq.trigger.p95Ms} ms | without median ${seq.none.medianMs} ms p95 ${seq.none.p95Ms} ms → ${seqRatio}× median, ${round(seq.trigger.p95Ms / seq.none.p95Ms, 2)}× p95`,
    );
    const conc: Record<string, Record<Variant, number>> = { onePlanet: { trigger: 0, none: 0 }, ownPlanets: { trigger: 0, none: 0 } };
    for (const v of ['trigger', 'none', 'none', 'trigger'] as const) {
      conc.onePlanet[v] += (await concurrent(ds, v, [planets[0]], senderId)) / 2;
      conc.ownPlanets[v] += (await concurrent(ds, v, planets, senderId)) / 2;
    }
    for (const [k, r] of Object.entries(conc))
      console.log(`  ${WRITERS} writers, ${k}: ${r.trigger} msg/s with trigger, ${r.none} without → ${round(r.trigger / r.none, 2)}×`);
    await setVariant(ds, 'trigger');
    console.log(`change feed reads, ${FEED_MESSAGES} messages in the planet, page 100, ${FEED_READS} random cursors…`);
    const reads = await feed(ds, feedPlanet, senderId);
    console.log(
      `  findChanges median ${reads.findChanges.medianMs} ms p95 ${reads.findChanges.p95Ms} ms | findWithCounts(after) median ${reads.findWithCountsAfter.medianMs} ms p95 ${reads.findWithCountsAfter.p95Ms} ms`,
    );
    const report = {
      name: 'message-changes',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg(), note: 'shared machine; compare ratios, not absolute times' },
      sequentialInsert: { ...seq, ratioMedian: seqRatio },
      concurrentInsertsPerSecond: { writers: WRITERS, seconds: SECONDS, ...conc },
      feedReads: reads,
    };
    mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
    const file = join(__dirname, '..', 'results', `message-changes-${stamp()}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`report: ${file}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
