/*
 * npm run bench:search [-- --reuse | --reuse=migrate]  (BENCH_MESSAGES=1000000 by default; BENCH_SEARCH_REPS,
 * BENCH_ILIKE_REPS; BENCH_CLASSES=multiTerm,noHit runs only those classes)
 *
 * Builds its own database (connecto_bench_search) with the migrations, undoes the search migration,
 * loads generated messages cut from the real Korean corpus (test/fixtures/search/corpus-ko.json),
 * then runs AddMessageSearchableTextGinIndex on the loaded table (backfill + CONCURRENTLY build,
 * timed). Then, in the same run, times a fixed query mix by class through Message.search and through
 * the seed's ILIKE approach (same permission filter, page size, order, exact total through
 * getManyAndCount), checks both return the same page and total, and writes bench/results/search-<ts>.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource, MigrationExecutor } from 'typeorm';
import { createDataSource } from '../../src/config/database.config';
import { validateEnv } from '../../src/config/env';
import { SearchDto } from '../../src/modules/message/dto/search.dto';
import { Message } from '../../src/modules/message/message.entity';
import type { MessageAttachment } from '../../src/modules/message/message.enums';
import { searchableTextOf } from '../../src/modules/message/searchable-text';
import { planMatch } from '../../src/modules/message/search/message-search';
import { lexemeStats } from '../../src/modules/message/search/search-stats';
import { parseQuery } from '../../src/modules/message/search/search-terms';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import corpus from '../../test/fixtures/search/corpus-ko.json';
import chat from '../../test/fixtures/search/chat-ko.json';

const DB = process.env.BENCH_DB ?? 'connecto_bench_search';
const N = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const PLANETS = 400;
const SENDERS = 60;
const SEARCH_REPS = Number(process.env.BENCH_SEARCH_REPS ?? 15);
const ILIKE_REPS = Number(process.env.BENCH_ILIKE_REPS ?? 2);
const PAGE = 20;
/**
 * `--reuse`: keep connecto_bench_search from an earlier run (same BENCH_MESSAGES) and only run the
 * queries; `--reuse=migrate` also undoes and re-runs the search migration on the loaded table (after
 * a change to what the trigger stores). The reported figures should come from a run without it.
 */
const REUSE = process.argv.find((a) => a === '--reuse' || a.startsWith('--reuse='));
const REMIGRATE = REUSE === '--reuse=migrate';

const env = validateEnv({
  DATABASE_HOST: process.env.DATABASE_HOST ?? '127.0.0.1',
  DATABASE_PORT: process.env.DATABASE_PORT ?? '5432',
  DATABASE_USER: process.env.DATABASE_USER ?? 'postgres',
  DATABASE_PASSWORD: process.env.DATABASE_PASSWORD ?? '',
  DATABASE_NAME: DB,
  DATABASE_MIN_CONNECTIONS: '0',
  DATABASE_MAX_CONNECTIONS: '4',
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
});

/** Query mix by class. The two 2-syllable classes are picked from the generated data (see pickBigrams). */
const FIXED: Record<string, string[]> = {
  syllables3to5: ['데비안', '패키지', '배포판', '업그레이드', '설치하는'],
  englishPrefix: ['debi', 'dpkg', 'linu', 'gnu', 'kern'],
  multiTerm: ['데비안 패키지', '설치 커널', 'debian 패키지', '패키지 dpkg', '소스 코드'],
  noHit: ['뷁뷁', 'zzqxv', '여행뷁', '데비안 zzqxv', '쀍쀍쀍'],
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

async function databaseExists(): Promise<boolean> {
  const c = new Client({
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    user: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: 'postgres',
  });
  await c.connect();
  try {
    return (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DB])).rowCount === 1;
  } finally {
    await c.end();
  }
}

async function admin(sql: string): Promise<void> {
  const c = new Client({
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    user: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: 'postgres',
  });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Users, travels, planets of Zipf-like sizes, and the searcher: ACTIVE in the even planets (over half the messages), LEFT in some others. */
async function loadWorld(ds: DataSource): Promise<{ searcherId: number; weights: number[]; planetIds: number[] }> {
  await ds.query(`INSERT INTO "user" (email, password_hash) SELECT 'bench' || g || '@example.com', 'x' FROM generate_series(1, $1) g`, [
    SENDERS,
  ]);
  await ds.query(`INSERT INTO profile (user_id, nickname) SELECT id, '여행자' || id FROM "user"`);
  await ds.query(`INSERT INTO travel (title, visibility, created_by_id) SELECT '여행 ' || g, 'PRIVATE', 1 FROM generate_series(1, 40) g`);
  await ds.query(
    `INSERT INTO planet (travel_id, name, created_by_id) SELECT 1 + (g % 40), '방 ' || g, 1 FROM generate_series(0, $1 - 1) g`,
    [PLANETS],
  );
  const planetIds = (await ds.query<{ id: number }[]>(`SELECT id FROM planet ORDER BY id`)).map((r) => r.id);
  const searcherId = 1;
  await ds.query(`INSERT INTO planet_user (planet_id, user_id, status) SELECT id, 1, 'ACTIVE' FROM planet WHERE id % 2 = 1`);
  await ds.query(`INSERT INTO planet_user (planet_id, user_id, status) SELECT id, 1, 'LEFT' FROM planet WHERE id % 10 = 2`);
  await ds.query(
    `INSERT INTO planet_user (planet_id, user_id) SELECT p.id, u.id FROM planet p CROSS JOIN "user" u WHERE u.id BETWEEN 2 AND 6`,
  );
  const weights = planetIds.map((_id, k) => 1 / Math.pow(k + 1, 1.1));
  return { searcherId, weights, planetIds };
}

/** Messages cut from the corpus: whole sentences, slices of them, pairs, chat lines; 3 % with a file, 2 % deleted. */
async function loadMessages(ds: DataSource, weights: number[], planetIds: number[]): Promise<number> {
  const rand = rng(42);
  const sentences: string[] = corpus.messages;
  const lines: string[] = chat.messages;
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  weights.reduce((acc, w, i) => (cdf[i] = acc + w / total), 0);
  const pickPlanet = () => {
    const x = rand();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return planetIds[lo];
  };
  const content = (): string => {
    const r = rand();
    const s = sentences[Math.floor(rand() * sentences.length)];
    if (r < 0.45) return s;
    if (r < 0.75) {
      const words = s.split(' ');
      const from = Math.floor(rand() * words.length);
      return words.slice(from, from + 2 + Math.floor(rand() * 5)).join(' ') || s;
    }
    if (r < 0.9) return `${s} ${sentences[Math.floor(rand() * sentences.length)]}`;
    return lines[Math.floor(rand() * lines.length)];
  };
  const t0 = Date.UTC(2025, 0, 1) / 1000;
  const BATCH = 10000;
  let deleted = 0;
  const m: { content: string; attachments: MessageAttachment[] } = { content: '', attachments: [] };
  for (let done = 0; done < N; done += BATCH) {
    const n = Math.min(BATCH, N - done);
    const cols = {
      planet: [] as number[],
      sender: [] as number[],
      type: [] as string[],
      content: [] as string[],
      text: [] as string[],
      att: [] as string[],
      at: [] as string[],
      del: [] as (string | null)[],
    };
    for (let i = 0; i < n; i++) {
      m.content = content();
      m.attachments =
        rand() < 0.03 ? [{ mediaId: 1, kind: 'file', fileName: `여행자료_${done + i}.pdf`, mimeType: 'application/pdf' }] : [];
      const at = new Date((t0 + done + i) * 1000).toISOString();
      const isDeleted = rand() < 0.02;
      if (isDeleted) deleted++;
      cols.planet.push(pickPlanet());
      cols.sender.push(1 + Math.floor(rand() * SENDERS));
      cols.type.push(m.attachments.length ? 'FILE' : 'TEXT');
      cols.content.push(m.content);
      cols.text.push(searchableTextOf(m.content, m.attachments));
      cols.att.push(JSON.stringify(m.attachments));
      cols.at.push(at);
      cols.del.push(isDeleted ? at : null);
    }
    await ds.query(
      `INSERT INTO message (planet_id, sender_id, type, content, searchable_text, attachments, created_at, deleted_at)
       SELECT * FROM unnest($1::int[], $2::int[], $3::message_type[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[], $8::timestamptz[])`,
      [cols.planet, cols.sender, cols.type, cols.content, cols.text, cols.att, cols.at, cols.del],
    );
    if ((done / BATCH) % 20 === 0) log(`  ${done + n} messages`);
  }
  return deleted;
}

/** Most and least frequent bigrams of the loaded data (from a sample), for the two 2-syllable classes. */
async function pickBigrams(ds: DataSource): Promise<{ common: string[]; rare: string[] }> {
  const rows: { word: string; ndoc: number }[] = await ds.query(
    `SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM message WHERE id % 50 = 0$$) WHERE length(word) = 2 AND word ~ '^[가-힣]{2}$' ORDER BY ndoc DESC, word`,
  );
  const common = rows.slice(0, 5).map((r) => r.word);
  const rare = rows
    .slice(-100)
    .filter((_r, i) => i % 20 === 0)
    .map((r) => r.word);
  return { common, rare };
}

function stats(xs: number[]): { median: number; p95: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), n: s.length };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The seed's approach: ILIKE '%term%' per whitespace term, same permission filter, page and order, exact total. */
async function ilikeSearch(planetIds: number[], query: string): Promise<{ ids: string[]; total: number }> {
  const qb = Message.createQueryBuilder('m').where('m.planetId IN (:...planetIds)', { planetIds });
  query
    .normalize('NFKC')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .forEach((t, i) => qb.andWhere(`m.searchableText ILIKE :t${i}`, { [`t${i}`]: `%${escapeLike(t)}%` }));
  const [rows, total] = await qb.orderBy('m.createdAt', 'DESC').addOrderBy('m.id', 'DESC').take(PAGE).getManyAndCount();
  return { ids: rows.map((r) => String(r.id)), total };
}

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

const SEARCH_MIGRATION = 'AddMessageSearchableTextGinIndex1764500000000';

/** Undoes the search migration and every later one (newest first), so the search migration can run again on loaded data. */
async function undoSearchMigration(ds: DataSource): Promise<void> {
  while ((await new MigrationExecutor(ds).getExecutedMigrations()).some((m) => m.name === SEARCH_MIGRATION))
    await ds.undoLastMigration({ transaction: 'none' });
}

/** Runs the pending migrations one at a time; returns the search migration's seconds (later ones are logged apart). */
async function runPendingTimed(ds: DataSource): Promise<number> {
  const executor = new MigrationExecutor(ds);
  let search = 0;
  for (const m of await executor.getPendingMigrations()) {
    const t = performance.now();
    await executor.executeMigration(m);
    const seconds = (performance.now() - t) / 1000;
    if (m.name === SEARCH_MIGRATION) search = seconds;
    else log(`migration ${m.name} ${seconds.toFixed(1)} s`);
  }
  return search;
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`database ${DB}, ${N} messages`);
  const reusable = REUSE !== undefined && (await databaseExists());
  if (!reusable) {
    await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await admin(`CREATE DATABASE "${DB}"`);
  }
  const ds = createDataSource(env);
  await ds.initialize();
  try {
    const searcherId = 1;
    let deleted: number;
    let loadSeconds: number | null = null;
    let migrationSeconds: number | null = null;
    let indexSeconds: number | null = null;
    if (reusable) {
      const [{ n, d }] = await ds.query<{ n: string; d: string }[]>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS d FROM message`,
      );
      if (Number(n) !== N) throw new Error(`--reuse: ${DB} has ${n} messages, not ${N}; run without --reuse`);
      deleted = Number(d);
      log(`reusing ${DB} (${n} messages)`);
      if (REMIGRATE) {
        let t = performance.now();
        await undoSearchMigration(ds);
        log(`search migration undone in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        t = performance.now();
        migrationSeconds = await runPendingTimed(ds);
        log(`migration AddMessageSearchableTextGinIndex (backfill + CONCURRENTLY index) ${migrationSeconds.toFixed(1)} s`);
        await ds.query(`VACUUM ANALYZE message`);
      }
    } else {
      await ds.runMigrations({ transaction: 'each' });
      await undoSearchMigration(ds); // the search migration runs again below, on the loaded table
      const { weights, planetIds } = await loadWorld(ds);
      let t = performance.now();
      deleted = await loadMessages(ds, weights, planetIds);
      loadSeconds = (performance.now() - t) / 1000;
      log(`loaded in ${loadSeconds.toFixed(1)} s`);

      t = performance.now();
      migrationSeconds = await runPendingTimed(ds);
      log(`migration AddMessageSearchableTextGinIndex (backfill + CONCURRENTLY index) ${migrationSeconds.toFixed(1)} s`);
      t = performance.now();
      const [{ def }] = await ds.query<{ def: string }[]>(`SELECT pg_get_indexdef('"IDX_message_search"'::regclass) AS def`);
      await ds.query(`DROP INDEX CONCURRENTLY "IDX_message_search"`);
      await ds.query(def.replace(/^CREATE INDEX /, 'CREATE INDEX CONCURRENTLY '));
      indexSeconds = (performance.now() - t) / 1000;
      log(`index build alone ${indexSeconds.toFixed(1)} s`);
      await ds.query(`VACUUM ANALYZE message`);
    }
    // The small tables as autovacuum would have them in a live database (a fresh bench database has
    // no statistics: the planner then joins planet_user to planet by a nested loop of 200 × 400).
    await ds.query(`ANALYZE "user", profile, travel, travel_user, planet, planet_user`);
    const [sizes] = await ds.query(
      `SELECT pg_size_pretty(pg_relation_size('"IDX_message_search"')) AS index, pg_relation_size('"IDX_message_search"') AS index_bytes,
              pg_size_pretty(pg_table_size('message')) AS table_with_toast, pg_size_pretty(sum(pg_column_size(search_vector))) AS vectors,
              pg_size_pretty(sum(pg_column_size(searchable_text))) AS searchable_text
       FROM message`,
    );
    log('sizes', sizes);

    const visible = await PlanetUser.activePlanetIds(searcherId);
    const [{ seen }] = await ds.query(
      `SELECT round(100.0 * count(*) FILTER (WHERE planet_id = ANY($1::int[])) / count(*), 1) AS seen FROM message WHERE deleted_at IS NULL`,
      [visible],
    );
    log(`searcher is ACTIVE in ${visible.length}/${PLANETS} planets and sees ${seen} % of the messages`);

    const { common, rare } = await pickBigrams(ds);
    const only = process.env.BENCH_CLASSES?.split(',');
    const classes = Object.fromEntries(
      Object.entries({ twoSyllableCommon: common, twoSyllableRare: rare, ...FIXED }).filter(([c]) => !only || only.includes(c)),
    );
    const user = { id: searcherId, email: 'bench1@example.com' };
    const report: Record<string, unknown> = {};
    const mismatches: unknown[] = [];
    for (const [cls, queries] of Object.entries(classes)) {
      const searchRecent: number[] = [];
      const searchRelevance: number[] = [];
      const ilike: number[] = [];
      const totals: Record<string, number> = {};
      const perQuery: Record<string, { recent: number; relevance: number; strategy: string }> = {};
      for (const query of queries) {
        const first = { recent: searchRecent.length, relevance: searchRelevance.length };
        const dto = (sort: 'recent' | 'relevance') => Object.assign(new SearchDto(), { query, limit: PAGE, sort });
        await Message.search(user, dto('recent')); // warm
        for (let i = 0; i < SEARCH_REPS; i++) {
          searchRecent.push((await time(() => Message.search(user, dto('recent'))))[0]);
          searchRelevance.push((await time(() => Message.search(user, dto('relevance'))))[0]);
        }
        perQuery[query] = {
          recent: stats(searchRecent.slice(first.recent)).median,
          relevance: stats(searchRelevance.slice(first.relevance)).median,
          strategy: planMatch(visible, parseQuery(query), await lexemeStats(Message.managerOf())).strategy,
        };
        const mine = await Message.search(user, dto('recent'));
        let base: { ids: string[]; total: number } = { ids: [], total: 0 };
        for (let i = 0; i < ILIKE_REPS; i++) {
          const [ms, r] = await time(() => ilikeSearch(visible, query));
          ilike.push(ms);
          base = r;
        }
        totals[query] = base.total;
        const same =
          JSON.stringify(base.ids) === JSON.stringify(mine.hits.map((h) => h.message.id)) &&
          Math.min(base.total, 1000) === mine.total &&
          base.total > 1000 === mine.totalCapped;
        if (!same)
          mismatches.push({
            cls,
            query,
            ilikeTotal: base.total,
            searchTotal: mine.total,
            ilikePage: base.ids.length,
            searchPage: mine.hits.length,
          });
      }
      const r = stats(searchRecent);
      const v = stats(searchRelevance);
      const b = stats(ilike);
      report[cls] = {
        queries,
        ilikeTotals: totals,
        perQuery,
        search: r,
        searchRelevance: v,
        ilike: b,
        ratioMedian: +(b.median / r.median).toFixed(1),
        ratioMedianRelevance: +(b.median / v.median).toFixed(1),
      };
      log(
        `${cls.padEnd(18)} search recent median ${r.median} ms p95 ${r.p95} ms | relevance median ${v.median} p95 ${v.p95} | ILIKE median ${b.median} ms p95 ${b.p95} | ratio ${(b.median / r.median).toFixed(0)}x / ${(b.median / v.median).toFixed(0)}x`,
      );
    }
    log(mismatches.length === 0 ? 'every query: same page and same total as ILIKE' : `MISMATCHES: ${JSON.stringify(mismatches)}`);
    const out = {
      at: new Date().toISOString(),
      messages: N,
      deleted,
      planets: PLANETS,
      searcherPlanets: visible.length,
      searcherSeesPercent: Number(seen),
      pageSize: PAGE,
      reps: { search: SEARCH_REPS, ilike: ILIKE_REPS },
      reused: reusable ? (REMIGRATE ? 'database reused, search migration re-run' : 'database reused') : false,
      loadSeconds: loadSeconds === null ? null : +loadSeconds.toFixed(1),
      migrationSeconds: migrationSeconds === null ? null : +migrationSeconds.toFixed(1),
      indexBuildSeconds: indexSeconds === null ? null : +indexSeconds.toFixed(1),
      sizes,
      classes: report,
      mismatches,
      totalSeconds: Math.round((Date.now() - started) / 1000),
      note: 'same run, same machine; the machine may be shared, compare ratios, medians and P95 rather than absolute times',
    };
    const dir = join(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `search-${out.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(out, null, 2));
    log(`report written to ${file}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
