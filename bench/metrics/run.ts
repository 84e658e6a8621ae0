/**
 * Metrics overhead benchmark (issue #12): the same HTTP workload against two app processes on the
 * same database and Redis, one with METRICS_ENABLED=true (scraped every BENCH_SCRAPE_MS, more often
 * than a Prometheus would) and one with METRICS_ENABLED=false, in alternating blocks (ABBA order)
 * in the same run, so load from other jobs falls on both alike. Only one process gets traffic at
 * a time. Reports latency median / P95 / P99 per side and per route, the on/off ratios, and the
 * server CPU per request of each process (from /proc: the client's work is not counted).
 *
 *   npm run bench:metrics     (BENCH_ROUNDS=6 BENCH_BLOCK_SECONDS=4 BENCH_CONCURRENCY=4 to change the sizes)
 *
 * Writes bench/results/metrics-<time>.json. Target: P95 with metrics < 1.05 × P95 without.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { operationOf } from '../../src/infrastructure/metrics/db-metrics';
import { createSeries } from '../../src/infrastructure/metrics/series';
import { benchEnv, cpuMs, openBenchDb, percentile, round, stamp, waitReady } from '../bench-db';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const BLOCK_SECONDS = Number(process.env.BENCH_BLOCK_SECONDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 4);
const SCRAPE_MS = Number(process.env.BENCH_SCRAPE_MS ?? 2000);
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3393);
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
const root = join(__dirname, '..', '..');

type Side = 'on' | 'off';

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, median: round(percentile(s, 50), 2), p95: round(percentile(s, 95), 2), p99: round(percentile(s, 99), 2) };
}

interface Call {
  route: string;
  path: string;
  method?: 'POST';
  body?: string;
}

/** The mobile app's common calls; one send in ten. */
function workload(planetId: number): Call[] {
  const reads: Call[] = [
    { route: 'GET /planets', path: '/api/v1/planets' },
    { route: 'GET /planets/:planetId/messages', path: `/api/v1/planets/${planetId}/messages?limit=50` },
    { route: 'GET /users/me', path: '/api/v1/users/me' },
    { route: 'GET /travels/popular', path: '/api/v1/travels/popular' },
  ];
  const calls: Call[] = [];
  for (let i = 0; i < 9; i++) calls.push(reads[i % reads.length]);
  calls.push({
    route: 'POST /planets/:planetId/messages',
    path: `/api/v1/planets/${planetId}/messages`,
    method: 'POST',
    body: JSON.stringify({ content: '부산역에서 만나요 🚄' }),
  });
  return calls;
}

async function block(url: string, calls: Call[], token: string, seconds: number, into?: Map<string, number[]>): Promise<number> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const until = performance.now() + seconds * 1000;
  let requests = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const call = calls[next++ % calls.length];
        const t0 = performance.now();
        const res = await fetch(url + call.path, { method: call.method ?? 'GET', headers, body: call.body });
        await res.arrayBuffer();
        const ms = performance.now() - t0;
        if (res.status >= 400) throw new Error(`${call.route} answered ${res.status}`);
        requests++;
        if (into) {
          const list = into.get(call.route) ?? [];
          list.push(ms);
          into.set(call.route, list);
        }
      }
    }),
  );
  return requests;
}

function startApp(env: Record<string, string>, port: number, metrics: Side): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_ENABLED: 'false',
      METRICS_ENABLED: metrics === 'on' ? 'true' : 'false',
      METRICS_TOKEN,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * The recording work one request costs, in this process, without the network or the database:
 * the HTTP observation plus three SQL statements (label lookup, operation parse, timers), median of
 * 5 runs of 100,000. A floor for the overhead, steadier than the end-to-end ratio on a busy machine.
 */
function recordingMicros(): number {
  const series = createSeries(new Registry());
  const sql = 'SELECT "m"."id" FROM "message" "m" WHERE "m"."planet_id" = $1';
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const n = 100_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      series.httpRequestDuration.observe(
        { method: 'GET', route: '/api/v1/planets/:planetId/messages', status_code: '200' },
        (performance.now() - start) / 1000,
      );
      for (let q = 0; q < 3; q++) series.dbQueryDuration.observe({ operation: operationOf(sql) }, (performance.now() - start) / 1000);
    }
    runs.push(((performance.now() - t0) * 1000) / n);
  }
  return round(runs.sort((a, b) => a - b)[2], 3);
}

async function main(): Promise<void> {
  const database = process.env.BENCH_DATABASE ?? 'connecto_bench_metrics';
  const env = benchEnv(database, { REDIS_KEY_PREFIX: `bench:metrics:${process.pid}:` });
  const ds = await openBenchDb(env, 2);
  await ds.destroy();
  const plainEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  const urls: Record<Side, string> = { on: `http://127.0.0.1:${BASE_PORT}`, off: `http://127.0.0.1:${BASE_PORT + 1}` };
  const children: Record<Side, ChildProcess> = { on: startApp(plainEnv, BASE_PORT, 'on'), off: startApp(plainEnv, BASE_PORT + 1, 'off') };
  const load0 = loadavg();
  try {
    await Promise.all([waitReady(urls.on), waitReady(urls.off)]);
    const url = urls.on;
    const email = `metrics-bench-${Date.now()}@example.com`;
    const reg = (await (
      await fetch(`${url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'connecto123!', nickname: '벤치' }),
      })
    ).json()) as { accessToken: string };
    const auth = { Authorization: `Bearer ${reg.accessToken}`, 'Content-Type': 'application/json' };
    const travel = (await (
      await fetch(`${url}/api/v1/travels`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ title: '벤치 여행', visibility: 'PUBLIC' }),
      })
    ).json()) as { id: number };
    const planet = (await (
      await fetch(`${url}/api/v1/travels/${travel.id}/planets`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: '벤치 방' }),
      })
    ).json()) as { id: number };
    // Setup traffic split between the two, so neither process is warmer.
    for (let i = 0; i < 100; i++)
      await fetch(`${urls[i % 2 === 0 ? 'on' : 'off']}/api/v1/planets/${planet.id}/messages`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ content: `부산 여행 메시지 ${i}` }),
      });
    const calls = workload(planet.id);

    // Warm-up (JIT, pools, caches) on both, not measured.
    for (const side of ['on', 'off', 'off', 'on'] as const) await block(urls[side], calls, reg.accessToken, WARMUP_SECONDS / 2);

    const latencies: Record<Side, Map<string, number[]>> = { on: new Map(), off: new Map() };
    const cpu: Record<Side, { ms: number; requests: number }> = { on: { ms: 0, requests: 0 }, off: { ms: 0, requests: 0 } };
    const scrapes: number[] = [];
    const roundP95: Record<Side, number[]> = { on: [], off: [] };
    let scrapeBytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const order: Side[] = r % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      for (const side of order) {
        const pid = children[side].pid as number;
        let scraping = side === 'on';
        const scraper = (async () => {
          while (scraping) {
            await new Promise((res) => setTimeout(res, SCRAPE_MS));
            if (!scraping) break;
            const t0 = performance.now();
            const res = await fetch(`${urls.on}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
            const text = await res.text();
            if (res.status !== 200) throw new Error(`scrape answered ${res.status}`);
            scrapes.push(performance.now() - t0);
            scrapeBytes = text.length;
          }
        })();
        const c0 = cpuMs(pid);
        const blockLatencies = new Map<string, number[]>();
        const n = await block(urls[side], calls, reg.accessToken, BLOCK_SECONDS, blockLatencies);
        for (const [route, list] of blockLatencies) latencies[side].set(route, [...(latencies[side].get(route) ?? []), ...list]);
        roundP95[side].push(summary([...blockLatencies.values()].flat()).p95);
        cpu[side].ms += cpuMs(pid) - c0;
        cpu[side].requests += n;
        scraping = false;
        await scraper;
      }
    }
    const load1 = loadavg();
    const perRequestMicros = recordingMicros();

    const all = (side: Side) => [...latencies[side].values()].flat();
    const overall = { on: summary(all('on')), off: summary(all('off')) };
    const routes = Object.fromEntries(
      [...latencies.off.keys()].map((route) => {
        const on = summary(latencies.on.get(route) ?? []);
        const off = summary(latencies.off.get(route) ?? []);
        return [route, { on, off, ratioMedian: round(on.median / off.median, 3), ratioP95: round(on.p95 / off.p95, 3) }];
      }),
    );
    const cpuPerRequest = { on: round(cpu.on.ms / cpu.on.requests, 3), off: round(cpu.off.ms / cpu.off.requests, 3) };
    const result = {
      at: new Date().toISOString(),
      rounds: ROUNDS,
      blockSeconds: BLOCK_SECONDS,
      concurrency: CONCURRENCY,
      scrapeEveryMs: SCRAPE_MS,
      loadAverage: { before: load0.map((l) => round(l, 2)), after: load1.map((l) => round(l, 2)), cores: 2 },
      overall,
      ratio: {
        median: round(overall.on.median / overall.off.median, 3),
        p95: round(overall.on.p95 / overall.off.p95, 3),
        p99: round(overall.on.p99 / overall.off.p99, 3),
      },
      perRound: { p95On: roundP95.on, p95Off: roundP95.off, p95Ratios: roundP95.on.map((p, i) => round(p / roundP95.off[i], 3)) },
      serverCpuMsPerRequest: { ...cpuPerRequest, ratio: round(cpuPerRequest.on / cpuPerRequest.off, 3) },
      scrape: { ...summary(scrapes), bytes: scrapeBytes },
      recordingMicrosPerRequest: perRequestMicros,
      recordingShareOfOffP95: round(perRequestMicros / 1000 / overall.off.p95, 5),
      routes,
      target: { p95RatioBelow: 1.05 },
      met: overall.on.p95 / overall.off.p95 < 1.05,
    };
    console.log(
      `metrics overhead: ${ROUNDS} rounds × ${BLOCK_SECONDS} s per side (ABBA), ${CONCURRENCY} concurrent clients, scrape every ${SCRAPE_MS} ms; load ${result.loadAverage.before[0]} → ${result.loadAverage.after[0]} on 2 cores`,
    );
    console.log(`                         metrics on: median / P95 / P99       off: median / P95 / P99      P95 ratio`);
    for (const [route, r] of Object.entries(routes)) {
      console.log(
        `  ${route.padEnd(34)} ${r.on.median} / ${r.on.p95} / ${r.on.p99} ms (n ${r.on.n})   ${r.off.median} / ${r.off.p95} / ${r.off.p99} ms (n ${r.off.n})   ${r.ratioP95}×`,
      );
    }
    console.log(
      `  ${'all'.padEnd(34)} ${overall.on.median} / ${overall.on.p95} / ${overall.on.p99} ms   ${overall.off.median} / ${overall.off.p95} / ${overall.off.p99} ms   median ${result.ratio.median}×, P95 ${result.ratio.p95}×`,
    );
    console.log(`  P95 ratio per round: ${result.perRound.p95Ratios.join(', ')}`);
    console.log(
      `  server CPU per request: on ${cpuPerRequest.on} ms, off ${cpuPerRequest.off} ms (${result.serverCpuMsPerRequest.ratio}×); scrape median ${result.scrape.median} ms, ${scrapeBytes} bytes`,
    );
    console.log(
      `  recording alone (1 HTTP + 3 SQL observations): ${perRequestMicros} µs per request = ${round(result.recordingShareOfOffP95 * 100, 3)} % of the P95 without metrics`,
    );
    console.log(`  target P95 ratio < 1.05: ${result.met ? 'met' : 'NOT met'}`);
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `metrics-${stamp()}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    for (const child of Object.values(children)) child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
