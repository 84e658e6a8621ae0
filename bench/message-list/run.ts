/**
 * bench/message-list: Message.findWithCounts against a naive N+1 implementation, same run, same
 * data: a planet with 200 ACTIVE members and 100,000 messages (replies and read watermarks spread
 * over it). Page sizes 20 / 50 / 100 at random `before` cursors. Prints queries per page, median and
 * P95 latency and the naive/findWithCounts ratio; writes bench/results/message-list-<ts>.json.
 *
 *   npm run bench:message-list            (BENCH_ITERATIONS=200, BENCH_SECONDS=60 per variant max)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { toMessageResponse } from '../../src/modules/message/dto/message-response.dto';
import { Message } from '../../src/modules/message/message.entity';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { MembershipStatus } from '../../src/modules/travel/travel.enums';
import { Profile } from '../../src/modules/user/profile.entity';
import { benchEnv, openBenchDb, percentile, round, stamp } from '../bench-db';

const MEMBERS = 200;
const MESSAGES = 100_000;
const PAGE_SIZES = [20, 50, 100];
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 60);

async function seed(ds: DataSource): Promise<{ planetId: number; minId: bigint; maxId: bigint }> {
  const existing = await ds.query(`SELECT p.id FROM planet p WHERE p.name = 'bench-message-list' LIMIT 1`);
  if (existing[0]) {
    const [r] = await ds.query('SELECT min(id) AS min, max(id) AS max, count(*)::int AS n FROM message WHERE planet_id = $1', [
      existing[0].id,
    ]);
    if (r.n === MESSAGES) return { planetId: existing[0].id, minId: BigInt(r.min), maxId: BigInt(r.max) };
    await ds.query('DELETE FROM planet WHERE id = $1', [existing[0].id]);
  }
  console.log(`seeding ${MEMBERS} members and ${MESSAGES} messages…`);
  const users: { id: number }[] = await ds.query(
    `INSERT INTO "user" (email, password_hash) SELECT 'bench-ml-' || g || '-' || md5(random()::text) || '@example.com', 'x' FROM generate_series(1, $1) g RETURNING id`,
    [MEMBERS],
  );
  const ids = users.map((u) => u.id);
  await ds.query(`INSERT INTO profile (user_id, nickname) SELECT u, '여행자' || u FROM unnest($1::int[]) u`, [ids]);
  const [travel] = await ds.query(
    `INSERT INTO travel (title, visibility, participant_count, created_by_id) VALUES ('bench', 'PUBLIC', $1, $2) RETURNING id`,
    [MEMBERS, ids[0]],
  );
  const [planet] = await ds.query(
    `INSERT INTO planet (travel_id, name, created_by_id) VALUES ($1, 'bench-message-list', $2) RETURNING id`,
    [travel.id, ids[0]],
  );
  await ds.query(`INSERT INTO planet_user (planet_id, user_id, status, role) SELECT $1, u, 'ACTIVE', 'MEMBER' FROM unnest($2::int[]) u`, [
    planet.id,
    ids,
  ]);
  await ds.query(
    `INSERT INTO message (planet_id, sender_id, type, content, searchable_text)
     SELECT $1, ($2::int[])[1 + (g % $3)], 'TEXT', '부산 여행 메시지 ' || g, '부산 여행 메시지 ' || g FROM generate_series(1, $4) g`,
    [planet.id, ids, MEMBERS, MESSAGES],
  );
  const [r] = await ds.query('SELECT min(id) AS min, max(id) AS max FROM message WHERE planet_id = $1', [planet.id]);
  // Every 25th message replies to one 1-50 messages earlier.
  await ds.query(
    `UPDATE message SET reply_to_message_id = id - 1 - (id % 50) WHERE planet_id = $1 AND id % 25 = 0 AND id - 1 - (id % 50) >= $2`,
    [planet.id, r.min],
  );
  // Watermarks spread over the whole history (most members near the end, as in a live chat).
  await ds.query(
    `INSERT INTO message_read_receipt (planet_id, user_id, last_read_message_id)
     SELECT $1, u, $3::bigint - floor(power(random(), 3) * ($3::bigint - $2::bigint))::bigint FROM unnest($4::int[]) u`,
    [planet.id, r.min, r.max, ids],
  );
  await ds.query('ANALYZE');
  return { planetId: planet.id, minId: BigInt(r.min), maxId: BigInt(r.max) };
}

/**
 * The N+1 a developer writes with the entity API: the page through `Message.find`, then per message
 * `Message.getReadCount`, `Message.getReplyCount` and the sender's profile, plus the member count.
 */
async function naivePage(m: EntityManager, planetId: number, before: string, limit: number): Promise<unknown[]> {
  const page = await m.find(Message, { where: { planetId, id: LessThan(before) }, order: { id: 'DESC' }, take: limit, withDeleted: true });
  const members = await m.count(PlanetUser, { where: { planetId, status: MembershipStatus.ACTIVE } });
  const out = [];
  for (const msg of page) {
    const readCount = await Message.getReadCount(msg.id, m);
    const replyCount = await Message.getReplyCount(msg.id, m);
    const sender = msg.senderId == null ? null : await m.findOne(Profile, { where: { userId: msg.senderId } });
    out.push({
      ...toMessageResponse(msg, sender && { id: sender.userId, nickname: sender.nickname }),
      readCount,
      replyCount,
      unreadCount: members - 1 - readCount,
    });
  }
  return out;
}

/** The cheapest possible N+1 (hand-written SQL, no entity hydration): a lower bound for any naive version. */
async function naiveRawPage(m: EntityManager, planetId: number, before: string, limit: number): Promise<unknown[]> {
  const page: { id: string; sender_id: number }[] = await m.query(
    'SELECT * FROM message WHERE planet_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3',
    [planetId, before, limit],
  );
  const [{ n: members }] = await m.query(`SELECT count(*)::int AS n FROM planet_user WHERE planet_id = $1 AND status = 'ACTIVE'`, [
    planetId,
  ]);
  const out = [];
  for (const msg of page) {
    const readCount = await Message.getReadCount(msg.id, m);
    const [{ n: replyCount }] = await m.query(
      'SELECT count(*)::int AS n FROM message WHERE reply_to_message_id = $1 AND deleted_at IS NULL',
      [msg.id],
    );
    const [sender] = await m.query('SELECT nickname FROM profile WHERE user_id = $1', [msg.sender_id]);
    out.push({ ...msg, sender, readCount, replyCount, unreadCount: members - 1 - readCount });
  }
  return out;
}

interface Variant {
  name: string;
  run: (m: EntityManager, before: string, limit: number) => Promise<unknown>;
}

async function measure(ds: DataSource, v: Variant, limit: number, cursors: string[]) {
  const runner = ds.createQueryRunner();
  let queries = 0;
  const original = runner.query.bind(runner);
  runner.query = ((...args: Parameters<typeof original>) => {
    queries += 1;
    return original(...args);
  }) as typeof runner.query;
  const times: number[] = [];
  const deadline = performance.now() + MAX_SECONDS * 1000;
  try {
    for (let i = 0; i < 5; i++) await v.run(runner.manager, cursors[i % cursors.length], limit); // warm-up
    queries = 0;
    for (const before of cursors) {
      if (performance.now() > deadline) break;
      const t0 = performance.now();
      await v.run(runner.manager, before, limit);
      times.push(performance.now() - t0);
    }
  } finally {
    await runner.release();
  }
  times.sort((a, b) => a - b);
  return {
    iterations: times.length,
    queriesPerPage: round(queries / times.length, 2),
    medianMs: round(percentile(times, 50), 3),
    p95Ms: round(percentile(times, 95), 3),
  };
}

async function main(): Promise<void> {
  const env = benchEnv(process.env.BENCH_DATABASE ?? 'connecto_bench_message_list');
  const ds = await openBenchDb(env, 4);
  try {
    const { planetId, minId, maxId } = await seed(ds);
    const span = Number(maxId - minId);
    const cursors = Array.from({ length: ITERATIONS }, () => String(minId + 200n + BigInt(Math.floor(Math.random() * (span - 200)))));
    const variants: Variant[] = [
      {
        name: 'findWithCounts',
        run: async (m, before, limit) => {
          const page = await Message.findWithCounts(planetId, { before, limit }, m);
          return page.data.map((d) => ({
            ...toMessageResponse(d.message, d.sender),
            readCount: d.readCount,
            unreadCount: d.unreadCount,
            replyCount: d.replyCount,
          }));
        },
      },
      { name: 'naive N+1 (entity API)', run: (m, before, limit) => naivePage(m, planetId, before, limit) },
      { name: 'naive N+1 (raw SQL)', run: (m, before, limit) => naiveRawPage(m, planetId, before, limit) },
    ];
    const results = [];
    for (const limit of PAGE_SIZES) {
      const fast = await measure(ds, variants[0], limit, cursors);
      const naive = await measure(ds, variants[1], limit, cursors);
      const naiveRaw = await measure(ds, variants[2], limit, cursors);
      const row = {
        pageSize: limit,
        findWithCounts: fast,
        naive,
        naiveRaw,
        ratioMedian: round(naive.medianMs / fast.medianMs, 1),
        ratioP95: round(naive.p95Ms / fast.p95Ms, 1),
        ratioRawMedian: round(naiveRaw.medianMs / fast.medianMs, 1),
      };
      results.push(row);
      console.log(
        `page ${String(limit).padStart(3)}: findWithCounts ${fast.queriesPerPage} q/page median ${fast.medianMs} ms p95 ${fast.p95Ms} ms | naive (entity API) ${naive.queriesPerPage} q/page median ${naive.medianMs} ms p95 ${naive.p95Ms} ms → ${row.ratioMedian}× median, ${row.ratioP95}× p95 | naive (raw SQL) median ${naiveRaw.medianMs} ms p95 ${naiveRaw.p95Ms} ms → ${row.ratioRawMedian}×`,
      );
    }
    const at50 = results.find((r) => r.pageSize === 50);
    const report = {
      name: 'message-list',
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        loadavg: loadavg(),
        note: 'shared machine (2 cores, other engineers running tests); compare ratios, not absolute times',
      },
      data: { members: MEMBERS, messages: MESSAGES, iterationsPerVariant: ITERATIONS },
      results,
      target: { ratioAt50: 10, met: (at50?.ratioMedian ?? 0) >= 10 },
    };
    mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
    const file = join(__dirname, '..', 'results', `message-list-${stamp()}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`target ≥ 10× at 50: ${report.target.met ? 'met' : 'NOT met'} (${at50?.ratioMedian}×); report: ${file}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
