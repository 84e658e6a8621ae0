/**
 * Cache benchmark (issue #10): one HTTP workload against two pairs of app processes on the same
 * database: a pair with CACHE_ENABLED=true (sharing one Redis prefix, so L2 and the bus connect
 * them) and a pair with CACHE_ENABLED=false, in alternating blocks (ABBA) in the same run. Each
 * block spreads its requests over both nodes of its pair. The mix: Zipf-distributed travels and
 * planets, ~95 % reads (popular travels, travel details, profiles, message pages, which run the
 * membership check) and ~5 % writes (travel joins and leaves, profile edits, visibility changes).
 *
 * After every invalidating write, answers on the OTHER node of the pair are compared with the
 * database (popular list, the travel's details, the writer's message page): any difference is a
 * stale answer. Hit rates by tier come from the cache nodes' /metrics. A second, in-process part
 * times `Travel.findPopularTravels` cached (an L1 hit) against the same call uncached.
 *
 *   npm run bench:cache     (BENCH_ROUNDS=4 BENCH_BLOCK_SECONDS=5 BENCH_CONCURRENCY=8 to change the sizes)
 *
 * Writes bench/results/cache-<time>.json. Targets: hit rate ≥ 90 %, popular ≥ 20× faster cached,
 * message-page P95 lower cached, zero stale answers.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { DistributedCacheService } from '../../src/infrastructure/cache/distributed-cache.service';
import { CacheRegistry } from '../../src/infrastructure/cache/cache-registry';
import { RedisService } from '../../src/infrastructure/redis/redis.service';
import { Travel } from '../../src/modules/travel/travel.entity';
import { benchEnv, openBenchDb, percentile, round, stamp } from '../bench-db';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const BLOCK_SECONDS = Number(process.env.BENCH_BLOCK_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const USERS = Number(process.env.BENCH_USERS ?? 60);
const TRAVELS = Number(process.env.BENCH_TRAVELS ?? 30);
const MESSAGES_PER_PLANET = Number(process.env.BENCH_MESSAGES ?? 20);
const WRITE_SHARE = Number(process.env.BENCH_WRITE_SHARE ?? 0.05);
const METRICS_TOKEN = 'bench-cache-metrics-token-0123456789';
const root = join(__dirname, '..', '..');

type Side = 'on' | 'off';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers, read field by field
type Json = any;

interface BenchUser {
  id: number;
  token: string;
}
interface BenchTravel {
  id: number;
  planetId: number;
  hostIndex: number;
}

/** A port free right now (the OS picks it), so the bench never meets another job's server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Zipf(s) over 0..n-1: index 0 the most popular. */
function zipf(n: number, s = 1.1): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) cdf.push((acc += w / total));
  return () => {
    const r = Math.random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, median: round(percentile(s, 50), 3), p95: round(percentile(s, 95), 3) };
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`app at ${url} did not become ready`);
}

function startApp(env: Record<string, string>, port: number, side: Side): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_ENABLED: 'false',
      BCRYPT_ROUNDS: '4',
      METRICS_TOKEN,
      CACHE_ENABLED: side === 'on' ? 'true' : 'false',
      REDIS_KEY_PREFIX: `${env.REDIS_KEY_PREFIX}${side}:`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function api(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function must(url: string, method: string, path: string, token?: string, body?: unknown): Promise<Json> {
  const res = await api(url, method, path, token, body);
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Cache figures of one node from its /metrics: hits by namespace and tier, misses by namespace. */
async function cacheFigures(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m =
      /^connecto_cache_(hits_total|misses_total|load_duration_seconds_count|load_duration_seconds_sum|invalidations_total|errors_total)\{([^}]*)\} (\S+)$/.exec(
        line,
      );
    if (!m) continue;
    out.set(`${m[1]}{${m[2]}}`, Number(m[3]));
  }
  return out;
}

function diff(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) out.set(k, v - (before.get(k) ?? 0));
  return out;
}

function hitRates(figures: Map<string, number>) {
  const byNs: Record<
    string,
    {
      l1: number;
      l2: number;
      grace: number;
      misses: number;
      loads: number;
      errors: number;
      loadMsMean: number;
      hitRate: number;
      l1Rate: number;
    }
  > = {};
  const get = (ns: string) =>
    (byNs[ns] ??= { l1: 0, l2: 0, grace: 0, misses: 0, loads: 0, errors: 0, loadMsMean: 0, hitRate: 0, l1Rate: 0 });
  let loadSum: Record<string, number> = {};
  for (const [k, v] of figures) {
    const ns = /namespace="([^"]*)"/.exec(k)?.[1] ?? '?';
    const tier = /tier="([^"]*)"/.exec(k)?.[1];
    if (k.startsWith('hits_total') && (tier === 'l1' || tier === 'l2' || tier === 'grace')) get(ns)[tier] += v;
    else if (k.startsWith('misses_total')) get(ns).misses += v;
    else if (k.startsWith('errors_total')) get(ns).errors += v;
    else if (k.startsWith('load_duration_seconds_count')) get(ns).loads += v;
    else if (k.startsWith('load_duration_seconds_sum')) loadSum = { ...loadSum, [ns]: (loadSum[ns] ?? 0) + v };
  }
  for (const [ns, s] of Object.entries(byNs)) {
    const total = s.l1 + s.l2 + s.grace + s.misses;
    s.hitRate = total ? round((s.l1 + s.l2 + s.grace) / total, 4) : 0;
    s.l1Rate = total ? round(s.l1 / total, 4) : 0;
    s.loadMsMean = s.loads ? round(((loadSum[ns] ?? 0) * 1000) / s.loads, 3) : 0;
  }
  const t = Object.values(byNs).reduce(
    (a, s) => ({ hits: a.hits + s.l1 + s.l2 + s.grace, l1: a.l1 + s.l1, l2: a.l2 + s.l2, misses: a.misses + s.misses }),
    { hits: 0, l1: 0, l2: 0, misses: 0 },
  );
  return {
    byNamespace: byNs,
    total: {
      ...t,
      hitRate: round(t.hits / Math.max(1, t.hits + t.misses), 4),
      l1Share: round(t.l1 / Math.max(1, t.hits + t.misses), 4),
      l2Share: round(t.l2 / Math.max(1, t.hits + t.misses), 4),
    },
  };
}

async function main(): Promise<void> {
  const database = process.env.BENCH_DATABASE ?? 'connecto_bench_cache';
  const env = benchEnv(database, { REDIS_KEY_PREFIX: `bench:cache:${process.pid}:` });
  const ds: DataSource = await openBenchDb(env, 4);
  const plainEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
  const urls: Record<Side, string[]> = {
    on: [`http://127.0.0.1:${ports[0]}`, `http://127.0.0.1:${ports[1]}`],
    off: [`http://127.0.0.1:${ports[2]}`, `http://127.0.0.1:${ports[3]}`],
  };
  const children = [
    startApp(plainEnv, ports[0], 'on'),
    startApp(plainEnv, ports[1], 'on'),
    startApp(plainEnv, ports[2], 'off'),
    startApp(plainEnv, ports[3], 'off'),
  ];
  const load0 = loadavg();
  let redis: RedisService | undefined;
  try {
    await Promise.all([...urls.on, ...urls.off].map(waitReady));
    const setupUrl = urls.off[0];
    const run = Date.now();

    // --- Data: users, travels (each with one planet), Zipf membership, messages -------------
    const users: BenchUser[] = [];
    for (let i = 0; i < USERS; i++) {
      const reg = await must(setupUrl, 'POST', '/api/v1/auth/register', undefined, {
        email: `cache-bench-${run}-${i}@example.com`,
        password: 'connecto123!',
        nickname: `벤치${i}`,
      });
      users.push({ id: reg.user.id, token: reg.accessToken });
    }
    const travels: BenchTravel[] = [];
    for (let i = 0; i < TRAVELS; i++) {
      const hostIndex = i % USERS;
      const t = await must(setupUrl, 'POST', '/api/v1/travels', users[hostIndex].token, { title: `벤치 여행 ${i}`, visibility: 'PUBLIC' });
      const p = await must(setupUrl, 'POST', `/api/v1/travels/${t.id}/planets`, users[hostIndex].token, { name: `방 ${i}` });
      travels.push({ id: t.id, planetId: p.id, hostIndex });
    }
    const pickTravel = zipf(TRAVELS);
    const memberships = new Map<number, Set<number>>(); // user index → travel indexes
    for (let u = 0; u < USERS; u++) {
      const mine = new Set<number>([...travels.keys()].filter((ti) => travels[ti].hostIndex === u));
      for (let k = 0; k < 4; k++) mine.add(pickTravel());
      for (const ti of mine) {
        if (travels[ti].hostIndex !== u) {
          await must(setupUrl, 'POST', `/api/v1/travels/${travels[ti].id}/join`, users[u].token);
          await must(setupUrl, 'POST', `/api/v1/planets/${travels[ti].planetId}/join`, users[u].token);
        }
      }
      memberships.set(u, mine);
    }
    for (const t of travels) {
      for (let i = 0; i < MESSAGES_PER_PLANET; i++)
        await must(setupUrl, 'POST', `/api/v1/planets/${t.planetId}/messages`, users[t.hostIndex].token, {
          content: `부산 여행 메시지 ${i}`,
        });
    }

    // --- The workload ---------------------------------------------------------------------------
    const latencies: Record<Side, Map<string, number[]>> = { on: new Map(), off: new Map() };
    const stale: { side: Side; what: string; expected: unknown; got: unknown }[] = [];
    let checks = 0;
    const privateTravels = new Set<number>(); // travel indexes made PRIVATE by the workload
    // One write (and its check) at a time, so nothing changes between the other node's answer and the database read.
    let writing = false;

    let blockMs: number[] = [];
    const record = (side: Side, route: string, ms: number) => {
      blockMs.push(ms);
      const list = latencies[side].get(route) ?? [];
      list.push(ms);
      latencies[side].set(route, list);
    };
    const timed = async (side: Side, route: string, url: string, method: string, path: string, token: string, body?: unknown) => {
      const t0 = performance.now();
      const res = await api(url, method, path, token, body);
      record(side, route, performance.now() - t0);
      return res;
    };

    /** The database's truth, compared with what the other node answers right after a write. */
    const checkTravel = async (side: Side, url: string, ti: number, u: number) => {
      const t = travels[ti];
      const [row] = await ds.query<{ visibility: string; participant_count: number; deleted: boolean; role: string | null }[]>(
        `SELECT t.visibility, t.participant_count, t.deleted_at IS NOT NULL AS deleted,
                (SELECT tu.role::text FROM travel_user tu WHERE tu.travel_id = t.id AND tu.user_id = $2 AND tu.status = 'ACTIVE') AS role
           FROM travel t WHERE t.id = $1`,
        [t.id, users[u].id],
      );
      const visible = !row.deleted && (row.visibility === 'PUBLIC' || row.role !== null);
      const details = await api(url, 'GET', `/api/v1/travels/${t.id}`, users[u].token);
      checks++;
      const got =
        details.status === 200
          ? {
              visible: true,
              participantCount: details.body.participantCount,
              myRole: details.body.myRole,
              visibility: details.body.visibility,
            }
          : { visible: false };
      const expected = visible
        ? { visible: true, participantCount: row.participant_count, myRole: row.role, visibility: row.visibility }
        : { visible: false };
      if (JSON.stringify(got) !== JSON.stringify(expected)) stale.push({ side, what: `GET /travels/${t.id}`, expected, got });

      const popular = (await api(url, 'GET', '/api/v1/travels/popular', users[u].token)).body.data as {
        id: number;
        participantCount: number;
      }[];
      const truth = await ds.query<{ id: number; participant_count: number }[]>(
        `SELECT id, participant_count FROM travel WHERE visibility = 'PUBLIC' AND deleted_at IS NULL ORDER BY participant_count DESC, id ASC LIMIT 10`,
      );
      checks++;
      const a = popular.map((p) => `${p.id}:${p.participantCount}`).join(',');
      const b = truth.map((p) => `${p.id}:${p.participant_count}`).join(',');
      if (a !== b) stale.push({ side, what: 'GET /travels/popular', expected: b, got: a });

      const [member] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM planet_user pu JOIN planet p ON p.id = pu.planet_id AND p.deleted_at IS NULL WHERE pu.planet_id = $1 AND pu.user_id = $2 AND pu.status = 'ACTIVE'`,
        [t.planetId, users[u].id],
      );
      const page = await api(url, 'GET', `/api/v1/planets/${t.planetId}/messages?limit=20`, users[u].token);
      checks++;
      const expectedStatus = member.n > 0 ? 200 : 403;
      if (page.status !== expectedStatus)
        stale.push({ side, what: `GET /planets/${t.planetId}/messages`, expected: expectedStatus, got: page.status });
    };

    const pickUser = () => Math.floor(Math.random() * USERS);
    const oneCall = async (side: Side, k: number) => {
      const url = urls[side][k % 2];
      const other = urls[side][(k + 1) % 2];
      const u = pickUser();
      const user = users[u];
      const mine = [...(memberships.get(u) ?? [])];
      if (Math.random() < WRITE_SHARE && !writing) {
        writing = true;
        try {
          const kind = Math.floor(Math.random() * 4);
          if (kind === 0 || kind === 1) {
            // join a (Zipf) travel, or leave one the user is a non-host member of
            const leaveable = mine.filter((ti) => travels[ti].hostIndex !== u);
            if (kind === 1 && leaveable.length > 0) {
              const ti = leaveable[Math.floor(Math.random() * leaveable.length)];
              const res = await timed(side, 'POST /travels/:id/leave', url, 'POST', `/api/v1/travels/${travels[ti].id}/leave`, user.token);
              if (res.status === 204) memberships.get(u)!.delete(ti);
              await checkTravel(side, other, ti, u);
            } else {
              const ti = pickTravel();
              if (privateTravels.has(ti) || mine.includes(ti)) return;
              const res = await timed(side, 'POST /travels/:id/join', url, 'POST', `/api/v1/travels/${travels[ti].id}/join`, user.token);
              if (res.status === 200) {
                await api(url, 'POST', `/api/v1/planets/${travels[ti].planetId}/join`, user.token);
                memberships.get(u)!.add(ti);
              }
              await checkTravel(side, other, ti, u);
            }
          } else if (kind === 2) {
            await timed(side, 'PATCH /users/me/profile', url, 'PATCH', '/api/v1/users/me/profile', user.token, {
              bio: `bio ${Math.random()}`,
            });
            const me = await api(other, 'GET', '/api/v1/users/me', user.token);
            const [row] = await ds.query<{ bio: string | null }[]>('SELECT bio FROM profile WHERE user_id = $1', [user.id]);
            checks++;
            if (me.body?.profile?.bio !== undefined && me.body.profile.bio !== row.bio)
              stale.push({ side, what: 'GET /users/me', expected: row.bio, got: me.body.profile.bio });
          } else {
            // a host flips the visibility of one of their travels (not the top ones, so the list keeps its shape)
            const hosted = [...travels.keys()].filter((ti) => travels[ti].hostIndex === u && ti >= 3);
            if (hosted.length === 0) return;
            const ti = hosted[Math.floor(Math.random() * hosted.length)];
            const visibility = privateTravels.has(ti) ? 'PUBLIC' : 'PRIVATE';
            const res = await timed(side, 'PATCH /travels/:id', url, 'PATCH', `/api/v1/travels/${travels[ti].id}`, user.token, {
              visibility,
            });
            if (res.status === 200) {
              if (visibility === 'PRIVATE') privateTravels.add(ti);
              else privateTravels.delete(ti);
            }
            // checked as a user who may not be a member
            await checkTravel(side, other, ti, pickUser());
          }
        } finally {
          writing = false;
        }
        return;
      }
      const r = Math.random();
      if (r < 0.25) {
        const res = await timed(side, 'GET /travels/popular', url, 'GET', '/api/v1/travels/popular', user.token);
        if (res.status !== 200) throw new Error(`popular answered ${res.status}`);
      } else if (r < 0.5) {
        const ti = pickTravel();
        await timed(side, 'GET /travels/:id', url, 'GET', `/api/v1/travels/${travels[ti].id}`, user.token);
      } else if (r < 0.65) {
        const res = await timed(side, 'GET /users/me', url, 'GET', '/api/v1/users/me', user.token);
        if (res.status !== 200) throw new Error(`users/me answered ${res.status}`);
      } else {
        if (mine.length === 0) return;
        const ti = mine[zipf(mine.length)()];
        await timed(side, 'GET /planets/:id/messages', url, 'GET', `/api/v1/planets/${travels[ti].planetId}/messages?limit=20`, user.token);
      }
    };

    const block = async (side: Side, seconds: number) => {
      const until = performance.now() + seconds * 1000;
      let k = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until) await oneCall(side, k++);
        }),
      );
    };

    // Warm-up (JIT, pools, caches), then reset the records.
    for (const side of ['on', 'off', 'off', 'on'] as const) await block(side, 2);
    latencies.on.clear();
    latencies.off.clear();
    stale.length = 0;
    checks = 0;
    const before = await Promise.all(urls.on.map(cacheFigures));
    const perRound: Record<Side, { median: number; p95: number }[]> = { on: [], off: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of (r % 2 === 0 ? ['on', 'off'] : ['off', 'on']) as Side[]) {
        blockMs = [];
        await block(side, BLOCK_SECONDS);
        const b = summary(blockMs);
        perRound[side].push({ median: b.median, p95: b.p95 });
      }
    }
    const after = await Promise.all(urls.on.map(cacheFigures));
    const load1 = loadavg();
    const figures = new Map<string, number>();
    for (let i = 0; i < 2; i++) for (const [k, v] of diff(after[i], before[i])) figures.set(k, (figures.get(k) ?? 0) + v);
    const rates = hitRates(figures);

    // --- In process: findPopularTravels from L1 vs uncached, same run ------------------------------
    redis = new RedisService(benchEnv(database, { REDIS_KEY_PREFIX: `bench:cache:${process.pid}:inproc:` }));
    await redis.connect();
    const cache = new DistributedCacheService(redis, undefined, benchEnv(database));
    await cache.onModuleInit();
    const timeCalls = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await Travel.findPopularTravels();
        out.push(performance.now() - t0);
      }
      return out;
    };
    CacheRegistry.release(cache);
    await timeCalls(50);
    const uncached = summary(await timeCalls(500));
    CacheRegistry.use(cache);
    await timeCalls(50);
    const cached = summary(await timeCalls(5000));
    CacheRegistry.release(cache);
    cache.onApplicationShutdown();

    // --- Report ---------------------------------------------------------------------------------
    const routes = Object.fromEntries(
      [...new Set([...latencies.on.keys(), ...latencies.off.keys()])].sort().map((route) => {
        const on = summary(latencies.on.get(route) ?? []);
        const off = summary(latencies.off.get(route) ?? []);
        return [route, { on, off, speedupMedian: round(off.median / on.median, 2), speedupP95: round(off.p95 / on.p95, 2) }];
      }),
    );
    const all = (side: Side) => summary([...latencies[side].values()].flat());
    const overall = { on: all('on'), off: all('off') };
    const popularRoute = routes['GET /travels/popular'];
    const pageRoute = routes['GET /planets/:id/messages'];
    const result = {
      at: new Date().toISOString(),
      node: process.version,
      rounds: ROUNDS,
      blockSeconds: BLOCK_SECONDS,
      concurrency: CONCURRENCY,
      users: USERS,
      travels: TRAVELS,
      writeShare: WRITE_SHARE,
      loadAverage: { before: load0.map((l) => round(l, 2)), after: load1.map((l) => round(l, 2)), cores: 2 },
      hitRate: rates,
      routes,
      perRound: { ...perRound, medianSpeedups: perRound.on.map((x, i) => round(perRound.off[i].median / x.median, 2)) },
      overall: {
        ...overall,
        speedupMedian: round(overall.off.median / overall.on.median, 2),
        speedupP95: round(overall.off.p95 / overall.on.p95, 2),
      },
      popularInProcess: { uncached, cachedL1: cached, speedupMedian: round(uncached.median / cached.median, 1) },
      staleness: { checks, stale: stale.length, samples: stale.slice(0, 10) },
      targets: {
        hitRateAtLeast90: rates.total.hitRate >= 0.9,
        popular20xHttpMedian: popularRoute ? popularRoute.speedupMedian >= 20 : false,
        popular20xInProcess: uncached.median / cached.median >= 20,
        messagePageP95Lower: pageRoute ? pageRoute.on.p95 < pageRoute.off.p95 : false,
        zeroStale: stale.length === 0,
      },
    };
    console.log(
      `cache benchmark: ${ROUNDS} rounds × ${BLOCK_SECONDS} s per side (ABBA), ${CONCURRENCY} clients, 2 nodes per side, ${USERS} users, ${TRAVELS} travels, ${WRITE_SHARE * 100} % writes; load ${result.loadAverage.before[0]} → ${result.loadAverage.after[0]} on 2 cores; ${process.version}`,
    );
    console.log(
      `hit rate (cache nodes): ${round(rates.total.hitRate * 100, 1)} % (L1 ${round(rates.total.l1Share * 100, 1)} %, L2 ${round(rates.total.l2Share * 100, 1)} %)`,
    );
    for (const [ns, s] of Object.entries(rates.byNamespace)) {
      console.log(
        `  ${ns.padEnd(16)} hit ${round(s.hitRate * 100, 1)} % (L1 ${s.l1}, L2 ${s.l2}, grace ${s.grace}, misses ${s.misses}), loads ${s.loads}, Redis errors/timeouts ${s.errors}, mean load ${s.loadMsMean} ms`,
      );
    }
    console.log('                               cache on: median / P95      off: median / P95     off/on median, P95');
    for (const [route, r] of Object.entries(routes)) {
      console.log(
        `  ${route.padEnd(28)} ${r.on.median} / ${r.on.p95} ms (n ${r.on.n})   ${r.off.median} / ${r.off.p95} ms (n ${r.off.n})   ${r.speedupMedian}×, ${r.speedupP95}×`,
      );
    }
    console.log(
      `  ${'all'.padEnd(28)} ${overall.on.median} / ${overall.on.p95} ms   ${overall.off.median} / ${overall.off.p95} ms   ${result.overall.speedupMedian}×, ${result.overall.speedupP95}×`,
    );
    console.log(`  off/on median per round: ${result.perRound.medianSpeedups.join(', ')}`);
    console.log(
      `Travel.findPopularTravels in process: uncached median ${uncached.median} ms / P95 ${uncached.p95} ms, L1 hit median ${cached.median} ms / P95 ${cached.p95} ms: ${result.popularInProcess.speedupMedian}×`,
    );
    console.log(`stale answers after invalidating writes: ${stale.length} of ${checks} checks`);
    for (const s of stale.slice(0, 5))
      console.log(`  STALE ${s.side} ${s.what}: expected ${JSON.stringify(s.expected)} got ${JSON.stringify(s.got)}`);
    console.log(
      `targets: ${Object.entries(result.targets)
        .map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`)
        .join(', ')}`,
    );
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `cache-${stamp()}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await redis?.onApplicationShutdown();
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
