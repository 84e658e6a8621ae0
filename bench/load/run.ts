/**
 * Load test of the seed's KPIs (issue #12): a mixed workload of the mobile app's real calls (login,
 * GET /planets, message pages, sends, search, popular travels, profile reads) at a rising request
 * rate (open loop: calls start on schedule, whether or not earlier ones have answered), plus
 * connected Socket.IO clients that send messages, against one node and then two nodes (two app
 * processes on one database and Redis, requests alternating between them).
 *
 *   npm run bench:load
 *   (BENCH_RATES=25,50,100,200,400 BENCH_STEP_SECONDS=8 BENCH_USERS=40 BENCH_SOCKETS=200 BENCH_SOCKET_SENDS=5 BENCH_NODES=1,2)
 *
 * Each step reports P50/P95/P99 and the error rate (5xx and network errors; 4xx apart) per route,
 * and what the nodes' /metrics showed meanwhile (pool waiting, event-loop lag P99, CPU of the node
 * processes). The verdict: the highest rate with P95 < 100 ms over all routes and errors < 0.1 %,
 * and the first resource that saturated. At the end, the query-pattern report of node 1 (every
 * request sampled). Writes bench/results/load-<time>.json.
 *
 * The load generator runs on the same (2-core) machine as the nodes, PostgreSQL and Redis: its
 * own CPU is part of what saturates. Rate limits are off (RATE_LIMIT_ENABLED=false).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import type { QueryPatternReport } from '../../src/infrastructure/metrics/query-patterns';
import { formatQueryPatterns } from '../../scripts/perf-query-patterns';
import { parsePrometheus, sum } from '../../test/helpers/prometheus';
import { benchEnv, openBenchDb, percentile, round, stamp } from '../bench-db';

const list = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);
const RATES = list(process.env.BENCH_RATES, [25, 50, 100, 200, 400]);
const NODES = list(process.env.BENCH_NODES, [1, 2]);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 8);
const USERS = Number(process.env.BENCH_USERS ?? 40);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 200);
const SOCKET_SENDS = Number(process.env.BENCH_SOCKET_SENDS ?? 5);
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3493);
const ADMIN_TOKEN = 'bench-load-admin-token-0123456789';
const METRICS_TOKEN = 'bench-load-metrics-token-0123456789';
const PASSWORD = 'connecto123!';
const KPI = { p95Ms: 100, errorRate: 0.001 };
const root = join(__dirname, '..', '..');
const CLK_TCK = 100;

interface VUser {
  email: string;
  token: string;
  planetId: number;
}
interface Call {
  route: string;
  method: 'GET' | 'POST';
  path: (u: VUser) => string;
  body?: (u: VUser) => unknown;
  auth: boolean;
  weight: number;
}

/** The mix: reads dominate, one call in ten is a send, logins are rare (tokens last). */
const MIX: Call[] = [
  {
    route: 'POST /auth/login',
    method: 'POST',
    path: () => '/api/v1/auth/login',
    body: (u) => ({ email: u.email, password: PASSWORD }),
    auth: false,
    weight: 2,
  },
  { route: 'GET /planets', method: 'GET', path: () => '/api/v1/planets', auth: true, weight: 25 },
  {
    route: 'GET /planets/:planetId/messages',
    method: 'GET',
    path: (u) => `/api/v1/planets/${u.planetId}/messages?limit=50`,
    auth: true,
    weight: 25,
  },
  {
    route: 'POST /planets/:planetId/messages',
    method: 'POST',
    path: (u) => `/api/v1/planets/${u.planetId}/messages`,
    body: () => ({ content: '부산역에서 만나요 🚄' }),
    auth: true,
    weight: 10,
  },
  {
    route: 'GET /messages/search',
    method: 'GET',
    path: () => `/api/v1/messages/search?query=${encodeURIComponent('부산')}`,
    auth: true,
    weight: 8,
  },
  { route: 'GET /travels/popular', method: 'GET', path: () => '/api/v1/travels/popular', auth: true, weight: 15 },
  { route: 'GET /users/me', method: 'GET', path: () => '/api/v1/users/me', auth: true, weight: 15 },
];
const SCHEDULE: Call[] = MIX.flatMap((c) => Array.from({ length: c.weight }, () => c));

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
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

function startNode(env: Record<string, string>, port: number): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_ENABLED: 'false',
      METRICS_TOKEN,
      ADMIN_TOKEN,
      QUERY_PATTERN_SAMPLE_RATE: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Registers a user with a public travel and a planet of their own. */
async function makeUser(url: string, i: number): Promise<VUser> {
  const email = `load-${process.pid}-${Date.now()}-${i}@example.com`;
  const reg = await json<{ accessToken: string }>(`${url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, nickname: `부하${i}` }),
  });
  const headers = { Authorization: `Bearer ${reg.accessToken}`, 'Content-Type': 'application/json' };
  const travel = await json<{ id: number }>(`${url}/api/v1/travels`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ title: `부산 여행 ${i}`, visibility: 'PUBLIC' }),
  });
  const planet = await json<{ id: number }>(`${url}/api/v1/travels/${travel.id}/planets`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: `방 ${i}` }),
  });
  for (let m = 0; m < 20; m++)
    await json(`${url}/api/v1/planets/${planet.id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: `부산 여행 메시지 ${m}` }),
    });
  return { email, token: reg.accessToken, planetId: planet.id };
}

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 50), 1), p95: round(percentile(s, 95), 1), p99: round(percentile(s, 99), 1) };
}

interface NodeReading {
  poolWaiting: number;
  poolInUse: number;
  poolMax: number;
  lagP99Ms: number;
}

async function readNode(url: string): Promise<NodeReading> {
  const text = await (await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const s = parsePrometheus(text);
  return {
    poolWaiting: sum(s, 'connecto_db_pool_waiting_requests'),
    poolInUse: sum(s, 'connecto_db_pool_connections', { state: 'in_use' }),
    poolMax: sum(s, 'connecto_db_pool_max_connections'),
    lagP99Ms: round(sum(s, 'nodejs_eventloop_lag_p99_seconds') * 1000, 1),
  };
}

async function connectSockets(urls: string[], users: VUser[], n: number): Promise<Socket[]> {
  const out: Socket[] = [];
  for (let i = 0; i < n; i += 20) {
    const batch = Array.from({ length: Math.min(20, n - i) }, (_, j) => {
      const u = users[(i + j) % users.length];
      const socket = io(urls[(i + j) % urls.length], {
        auth: { token: u.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      return new Promise<Socket>((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

async function step(urls: string[], users: VUser[], sockets: Socket[], rate: number, pids: number[]) {
  const latencies = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const clientErrors = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let networkErrors = 0;
  const networkByRoute = new Map<string, number>();
  const inflight: Promise<void>[] = [];
  const readings: NodeReading[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, 1000));
      for (const u of urls)
        readings.push(await readNode(u).catch(() => ({ poolWaiting: NaN, poolInUse: NaN, poolMax: NaN, lagP99Ms: NaN })));
    }
  })();
  const socketAcks: number[] = [];
  let socketErrors = 0;
  const socketTimer = setInterval(
    () => {
      const s = sockets[Math.floor(Math.random() * sockets.length)];
      if (!s) return;
      const t0 = performance.now();
      s.timeout(10_000).emit(
        'message:send',
        { planetId: users[sockets.indexOf(s) % users.length].planetId, content: '실시간 메시지' },
        (err: Error | null, ack: { ok: boolean }) => {
          if (err || !ack?.ok) socketErrors++;
          else socketAcks.push(performance.now() - t0);
        },
      );
    },
    1000 / Math.max(SOCKET_SENDS, 0.001),
  );
  const cpu0 = pids.map(cpuMs);
  const started = performance.now();
  const total = Math.round(rate * STEP_SECONDS);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const call = SCHEDULE[Math.floor(Math.random() * SCHEDULE.length)];
    const u = users[i % users.length];
    const url = urls[i % urls.length];
    const t0 = performance.now();
    inflight.push(
      fetch(url + call.path(u), {
        method: call.method,
        headers: { 'Content-Type': 'application/json', ...(call.auth ? { Authorization: `Bearer ${u.token}` } : {}) },
        body: call.body ? JSON.stringify(call.body(u)) : undefined,
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (res) => {
          await res.arrayBuffer();
          const ms = performance.now() - t0;
          if (res.status >= 500) add(errors, call.route);
          else if (res.status >= 400) add(clientErrors, call.route);
          const l = latencies.get(call.route) ?? [];
          l.push(ms);
          latencies.set(call.route, l);
        },
        () => {
          networkErrors++;
          add(networkByRoute, call.route);
          add(errors, call.route);
        },
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = pids.map((p, i) => round((cpuMs(p) - cpu0[i]) / 10 / elapsed, 0)); // % of one core
  clearInterval(socketTimer);
  sampling = false;
  await sampler;
  const routes = Object.fromEntries(
    MIX.map((c) => {
      const l = latencies.get(c.route) ?? [];
      const e = errors.get(c.route) ?? 0;
      return [
        c.route,
        {
          ...summary(l),
          errors: e,
          errorRate: round(e / Math.max(l.length + (networkByRoute.get(c.route) ?? 0), 1), 4),
          clientErrors: clientErrors.get(c.route) ?? 0,
        },
      ];
    }),
  );
  const all = [...latencies.values()].flat();
  const errs = [...errors.values()].reduce((a, b) => a + b, 0);
  const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
  return {
    rate,
    achievedRate: round(all.length / elapsed, 1),
    // Network errors have no latency: they count in the denominator too.
    overall: { ...summary(all), errors: errs, errorRate: round(errs / Math.max(all.length + networkErrors, 1), 4) },
    routes,
    socket: { sends: socketAcks.length, errors: socketErrors, ...summary(socketAcks) },
    nodes: {
      maxPoolWaiting: Math.max(0, ...finite(readings.map((r) => r.poolWaiting))),
      maxPoolInUse: Math.max(0, ...finite(readings.map((r) => r.poolInUse))),
      poolMax: Math.max(0, ...finite(readings.map((r) => r.poolMax))),
      maxLagP99Ms: Math.max(0, ...finite(readings.map((r) => r.lagP99Ms))),
      cpuPercentOfCore: cpu,
    },
  };
}

type Step = Awaited<ReturnType<typeof step>>;

function bottleneck(s: Step): string {
  const n = s.nodes;
  const parts: string[] = [];
  if (n.maxPoolWaiting > 0) parts.push(`DB pool (${n.maxPoolInUse}/${n.poolMax} in use, up to ${n.maxPoolWaiting} queries waiting)`);
  if (n.cpuPercentOfCore.some((c) => c >= 80)) parts.push(`node CPU (${n.cpuPercentOfCore.join(' / ')} % of a core)`);
  if (n.maxLagP99Ms >= 50) parts.push(`event loop (lag P99 ${n.maxLagP99Ms} ms)`);
  if (s.achievedRate < s.rate * 0.9) parts.push(`load generator / machine (achieved ${s.achievedRate} of ${s.rate} req/s)`);
  return parts.join('; ') || 'none visible';
}

async function runNodes(count: number, env: Record<string, string>) {
  const ports = Array.from({ length: count }, (_, i) => BASE_PORT + i);
  const children = ports.map((p) => startNode(env, p));
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  try {
    await Promise.all(urls.map(waitReady));
    console.log(`\n== ${count} node(s): setting up ${USERS} users…`);
    const users: VUser[] = [];
    for (let i = 0; i < USERS; i += 5)
      users.push(...(await Promise.all(Array.from({ length: Math.min(5, USERS - i) }, (_, j) => makeUser(urls[0], i + j)))));
    const sockets = await connectSockets(urls, users, SOCKETS);
    // Warm-up, not measured; the query-pattern report then starts empty.
    await step(
      urls,
      users,
      sockets,
      RATES[0],
      children.map((c) => c.pid as number),
    );
    await fetch(`${urls[0]}/admin/query-patterns/reset`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const steps: Step[] = [];
    for (const rate of RATES) {
      const s = await step(
        urls,
        users,
        sockets,
        rate,
        children.map((c) => c.pid as number),
      );
      steps.push(s);
      const ok = s.overall.p95 < KPI.p95Ms && s.overall.errorRate < KPI.errorRate;
      console.log(
        `${String(rate).padStart(5)} req/s (got ${s.achievedRate}): P50 ${s.overall.p50} P95 ${s.overall.p95} P99 ${s.overall.p99} ms, errors ${(s.overall.errorRate * 100).toFixed(2)} %, ` +
          `socket sends ${s.socket.sends} P95 ${s.socket.p95} ms — ${ok ? 'KPI met' : 'KPI missed'}; saturation: ${bottleneck(s)}`,
      );
      for (const [route, r] of Object.entries(s.routes))
        console.log(
          `        ${route.padEnd(34)} n=${String(r.n).padStart(5)}  P50 ${r.p50}  P95 ${r.p95}  P99 ${r.p99} ms  5xx/net ${r.errors}  4xx ${r.clientErrors}`,
        );
      if (s.overall.errorRate > 0.05 || s.overall.p95 > 2000) break;
    }
    const patterns = (await (
      await fetch(`${urls[0]}/admin/query-patterns`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as QueryPatternReport;
    for (const s of sockets) s.disconnect();
    const passing = steps.filter((s) => s.overall.p95 < KPI.p95Ms && s.overall.errorRate < KPI.errorRate);
    const firstMiss = steps.find((s) => !(s.overall.p95 < KPI.p95Ms && s.overall.errorRate < KPI.errorRate));
    return {
      nodes: count,
      sockets: sockets.length,
      steps,
      highestRateMeetingKpi: passing.length ? passing[passing.length - 1].rate : null,
      breaksAt: firstMiss ? { rate: firstMiss.rate, saturation: bottleneck(firstMiss) } : null,
      queryPatterns: patterns,
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  }
}

async function main(): Promise<void> {
  const database = process.env.BENCH_DATABASE ?? 'connecto_bench_load';
  const env = benchEnv(database, { REDIS_KEY_PREFIX: `bench:load:${process.pid}:` });
  const ds = await openBenchDb(env, 2);
  await ds.destroy();
  const plainEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  const load0 = loadavg();
  const runs = [];
  for (const count of NODES) runs.push(await runNodes(count, plainEnv));
  for (const r of runs) {
    console.log(
      `\n${r.nodes} node(s), ${r.sockets} sockets: highest rate with P95 < ${KPI.p95Ms} ms and errors < ${KPI.errorRate * 100} %: ${r.highestRateMeetingKpi ?? 'none'} req/s; ${r.breaksAt ? `breaks at ${r.breaksAt.rate} req/s (${r.breaksAt.saturation})` : 'did not break within the rates tried'}`,
    );
  }
  console.log(`\nquery patterns (node 1 of the first run):\n${formatQueryPatterns(runs[0].queryPatterns)}`);
  const out = {
    at: new Date().toISOString(),
    cpus: cpus().length,
    loadavgBefore: load0,
    loadavgAfter: loadavg(),
    settings: { RATES, NODES, STEP_SECONDS, USERS, SOCKETS, SOCKET_SENDS },
    kpi: KPI,
    runs,
  };
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  const file = join(__dirname, '..', 'results', `load-${stamp()}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2));
  console.log(`\nwrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
