/**
 * Abuse benchmark (issue #7): `/health` and an authenticated read (a message page) measured
 * quiet, then while an unauthenticated client sends the worst bodies it can — JSON nested to the
 * body limit, 4 in flight, at `POST /auth/login` — in the same run against the same app process.
 * Also: the attacker's requests alone, for the server CPU each one costs (from /proc, so the
 * client's own work is not counted). The attacker is its own process at nice 19 (attacker.ts).
 *
 *   npm run bench:abuse            (BENCH_REQUESTS=600 BENCH_ATTACK_SECONDS=8 to change the sizes,
 *                                   BENCH_ATTACKER_NICE=0 for an attacker at the server's priority)
 *
 * Prints medians, P95 and the attack/quiet ratios, and writes bench/results/abuse-<time>.json.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchEnv, cpuMs, openBenchDb, percentile, round, stamp, waitReady } from '../bench-db';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const ATTACK_SECONDS = Number(process.env.BENCH_ATTACK_SECONDS ?? 8);
const ATTACKERS = 4;
/** CPU priority of the attacker process (19: lowest; 0 to compete with the server as an equal). */
const ATTACKER_NICE = Number(process.env.BENCH_ATTACKER_NICE ?? 19);
const PORT = Number(process.env.BENCH_PORT ?? 3391);
const root = join(__dirname, '..', '..');

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

interface AttackReport {
  requests: number;
  statuses: Record<string, number>;
  latency: { median: number; p95: number };
  bodyBytes: number;
}

/**
 * Starts the attacker (bench/abuse/attacker.ts) as its own process at the lowest CPU priority;
 * `finish()` stops it (SIGTERM) unless it stops by itself after `seconds`, and returns its report.
 */
function startAttacker(url: string, bodyLimitBytes: number, seconds = 0): { finish: () => Promise<AttackReport> } {
  const node = [process.execPath, '-r', 'ts-node/register/transpile-only', join(__dirname, 'attacker.ts')];
  const child = spawn('nice', ['-n', String(ATTACKER_NICE), ...node], {
    cwd: root,
    env: {
      ...process.env,
      ATTACK_URL: url,
      ATTACKERS: String(ATTACKERS),
      ATTACK_BODY_BYTES: String(bodyLimitBytes),
      ATTACK_SECONDS: String(seconds),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<AttackReport>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AttackReport) : reject(new Error(`attacker exited with ${code}`)))),
  );
  return {
    finish: () => {
      if (seconds === 0) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function main(): Promise<void> {
  const database = process.env.BENCH_DATABASE ?? 'connecto_bench_abuse';
  const env = benchEnv(database, { REDIS_KEY_PREFIX: `bench:abuse:${process.pid}:` });
  const ds = await openBenchDb(env, 2);
  await ds.destroy();
  const url = `http://127.0.0.1:${PORT}`;
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      PORT: String(PORT),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(url);
    const pid = child.pid as number;
    const email = `abuse-${Date.now()}@example.com`;
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
    for (let i = 0; i < 60; i++)
      await fetch(`${url}/api/v1/planets/${planet.id}/messages`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ content: `부산 여행 메시지 ${i}` }),
      });
    await protectedPhase(url, reg.accessToken, planet.id); // warm-up
    const quiet = await protectedPhase(url, reg.accessToken, planet.id);

    const attacking = startAttacker(url, env.HTTP_BODY_LIMIT_BYTES);
    await new Promise((r) => setTimeout(r, 1500)); // the attacker's own start-up, so the phase is all under attack
    const underAttack = await protectedPhase(url, reg.accessToken, planet.id);
    const attackDuring = await attacking.finish();

    // The attacker alone: server CPU per attacking request.
    const cpu0 = cpuMs(pid);
    const alone = await startAttacker(url, env.HTTP_BODY_LIMIT_BYTES, ATTACK_SECONDS).finish();
    const cpuPerAttack = (cpuMs(pid) - cpu0) / Math.max(1, alone.requests);

    const result = {
      at: new Date().toISOString(),
      requestsPerPhase: REQUESTS,
      attackers: ATTACKERS,
      attackBodyBytes: alone.bodyBytes,
      attackerProcess: `separate process, nice -n ${ATTACKER_NICE}`,
      quiet,
      underAttack,
      ratioP95: {
        health: round(underAttack.health.p95 / quiet.health.p95, 2),
        messagePage: round(underAttack.messagePage.p95 / quiet.messagePage.p95, 2),
      },
      attackDuring,
      attackAlone: { ...alone, serverCpuMsPerRequest: round(cpuPerAttack, 3) },
      targets: { p95RatioAtMost: 1.5, attackerCpuMsAtMost: 10 },
    };
    console.log(
      `abuse bench: ${REQUESTS} requests per phase, ${ATTACKERS} attackers sending ${result.attackBodyBytes} B of nesting to POST /auth/login`,
    );
    console.log(`                   quiet median/P95     under attack median/P95   P95 ratio`);
    for (const k of ['health', 'messagePage'] as const) {
      console.log(
        `  ${k.padEnd(14)} ${String(quiet[k].median).padStart(7)} / ${String(quiet[k].p95).padEnd(8)} ms   ${String(underAttack[k].median).padStart(7)} / ${String(underAttack[k].p95).padEnd(8)} ms   ${result.ratioP95[k]}×`,
      );
    }
    console.log(
      `  attacker answers during the measured phase: ${JSON.stringify(attackDuring.statuses)} (${attackDuring.requests} requests, median ${round(attackDuring.latency.median, 2)} ms)`,
    );
    console.log(
      `  attacker alone: ${alone.requests} requests, ${JSON.stringify(alone.statuses)}, ${result.attackAlone.serverCpuMsPerRequest} ms server CPU each`,
    );
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
