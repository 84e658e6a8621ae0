/**
 * Abuse benchmark (issue #7): `/health` and an authenticated read (a message page) measured
 * quiet, then while an unauthenticated client sends the worst bodies it can — JSON nested to the
 * body limit, 4 in flight, at `POST /auth/login` — in the same run against the same app process.
 * Also: the attacker's requests alone, for the server CPU each one costs (from /proc, so the
 * client's own work is not counted).
 *
 *   npm run bench:abuse            (BENCH_REQUESTS=600 BENCH_ATTACK_SECONDS=8 to change the sizes)
 *
 * Prints medians, P95 and the attack/quiet ratios, and writes bench/results/abuse-<time>.json.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchEnv, openBenchDb, percentile, round, stamp } from '../bench-db';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const ATTACK_SECONDS = Number(process.env.BENCH_ATTACK_SECONDS ?? 8);
const ATTACKERS = 4;
const PORT = Number(process.env.BENCH_PORT ?? 3391);
const root = join(__dirname, '..', '..');
const CLK_TCK = 100;

/** The costliest body under the 256 KB limit: one long nesting (the main before #7 spent ~0.6 s of CPU on it). */
function worstBody(limitBytes: number): string {
  const levels = Math.floor((limitBytes - 32) / 2);
  return `{"email":${'['.repeat(levels)}${']'.repeat(levels)},"password":"x"}`;
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('app did not become ready');
}

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

function summary(ms: number[]): { median: number; p95: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: round(percentile(s, 50), 2), p95: round(percentile(s, 95), 2), n: s.length };
}

async function protectedPhase(url: string, token: string, planetId: number) {
  const health: number[] = [];
  const page: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    health.push((await timed(`${url}/health`)).ms);
    const r = await timed(`${url}/api/v1/planets/${planetId}/messages?limit=50`, { headers: { Authorization: `Bearer ${token}` } });
    if (r.status !== 200) throw new Error(`message page answered ${r.status}`);
    page.push(r.ms);
  }
  return { health: summary(health), messagePage: summary(page) };
}

function attack(url: string, body: Uint8Array, until: () => boolean) {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const loops = Array.from({ length: ATTACKERS }, async () => {
    while (!until()) {
      const r = await timed(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).catch(() => ({ ms: 0, status: 0 }));
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      latencies.push(r.ms);
    }
  });
  return Promise.all(loops).then(() => ({ statuses, latency: summary(latencies), requests: latencies.length }));
}

async function main(): Promise<void> {
  const database = process.env.BENCH_DATABASE ?? 'connecto_bench_abuse';
  const env = benchEnv(database, { REDIS_KEY_PREFIX: `bench:abuse:${process.pid}:` });
  const ds = await openBenchDb(env, 2);
  await ds.destroy();
  const url = `http://127.0.0.1:${PORT}`;
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])), PORT: String(PORT), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(url);
    const pid = child.pid as number;
    const email = `abuse-${Date.now()}@example.com`;
    const reg = (await (await fetch(`${url}/api/v1/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: 'connecto123!', nickname: '벤치' }) })).json()) as { accessToken: string };
    const auth = { Authorization: `Bearer ${reg.accessToken}`, 'Content-Type': 'application/json' };
    const travel = (await (await fetch(`${url}/api/v1/travels`, { method: 'POST', headers: auth, body: JSON.stringify({ title: '벤치 여행', visibility: 'PUBLIC' }) })).json()) as { id: number };
    const planet = (await (await fetch(`${url}/api/v1/travels/${travel.id}/planets`, { method: 'POST', headers: auth, body: JSON.stringify({ name: '벤치 방' }) })).json()) as { id: number };
    for (let i = 0; i < 60; i++) await fetch(`${url}/api/v1/planets/${planet.id}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ content: `부산 여행 메시지 ${i}` }) });
    // Encoded once: the attacking client should spend as little of the shared CPU as it can.
    const body = new Uint8Array(Buffer.from(worstBody(env.HTTP_BODY_LIMIT_BYTES)));

    await protectedPhase(url, reg.accessToken, planet.id); // warm-up
    const quiet = await protectedPhase(url, reg.accessToken, planet.id);

    let stop = false;
    const attacking = attack(url, body, () => stop);
    const underAttack = await protectedPhase(url, reg.accessToken, planet.id);
    stop = true;
    const attackDuring = await attacking;

    // The attacker alone: server CPU per attacking request.
    const cpu0 = cpuMs(pid);
    const t0 = Date.now();
    const alone = await attack(url, body, () => Date.now() - t0 > ATTACK_SECONDS * 1000);
    const cpuPerAttack = (cpuMs(pid) - cpu0) / Math.max(1, alone.requests);

    const result = {
      at: new Date().toISOString(),
      requestsPerPhase: REQUESTS,
      attackers: ATTACKERS,
      attackBodyBytes: body.byteLength,
      quiet,
      underAttack,
      ratioP95: { health: round(underAttack.health.p95 / quiet.health.p95, 2), messagePage: round(underAttack.messagePage.p95 / quiet.messagePage.p95, 2) },
      attackDuring,
      attackAlone: { ...alone, serverCpuMsPerRequest: round(cpuPerAttack, 3) },
      targets: { p95RatioAtMost: 1.5, attackerCpuMsAtMost: 10 },
    };
    console.log(`abuse bench: ${REQUESTS} requests per phase, ${ATTACKERS} attackers sending ${result.attackBodyBytes} B of nesting to POST /auth/login`);
    console.log(`                   quiet median/P95     under attack median/P95   P95 ratio`);
    for (const k of ['health', 'messagePage'] as const) {
      console.log(`  ${k.padEnd(14)} ${String(quiet[k].median).padStart(7)} / ${String(quiet[k].p95).padEnd(8)} ms   ${String(underAttack[k].median).padStart(7)} / ${String(underAttack[k].p95).padEnd(8)} ms   ${result.ratioP95[k]}×`);
    }
    console.log(`  attacker answers during the measured phase: ${JSON.stringify(attackDuring.statuses)} (median ${attackDuring.latency.median} ms)`);
    console.log(`  attacker alone: ${alone.requests} requests, ${JSON.stringify(alone.statuses)}, ${result.attackAlone.serverCpuMsPerRequest} ms server CPU each`);
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `abuse-${stamp()}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
