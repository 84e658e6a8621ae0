/**
 * The abuse benchmark's attacker, in a process of its own (bench/abuse/run.ts starts it with
 * `nice -n 19`): it keeps ATTACKERS requests in flight to POST /auth/login, each carrying the same
 * pre-encoded body, until SIGTERM or ATTACK_SECONDS, then prints one JSON line (statuses, latency,
 * request count) to stdout. A real attacker runs on its own machine; here it shares the bench's 2
 * cores, so it runs apart from the measuring client's event loop and at the lowest CPU priority,
 * and what the measured phase sees is the server's defence rather than local CPU contention.
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

const url = new URL('/api/v1/auth/login', process.env.ATTACK_URL);
const attackers = Number(process.env.ATTACKERS ?? 4);
const bodyBytes = Number(process.env.ATTACK_BODY_BYTES ?? 262_144);
const seconds = Number(process.env.ATTACK_SECONDS ?? 0);

/** The costliest body under the limit: one long nesting (the main before #7 spent ~0.6 s of CPU on it). */
const levels = Math.floor((bodyBytes - 32) / 2);
const body = Buffer.from(`{"email":${'['.repeat(levels)}${']'.repeat(levels)},"password":"x"}`);

const statuses: Record<string, number> = {};
const latencies: number[] = [];
let stop = false;
process.on('SIGTERM', () => (stop = true));
if (seconds > 0) setTimeout(() => (stop = true), seconds * 1000);

function once(): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const done = (status: number) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      latencies.push(performance.now() - t0);
      resolve();
    };
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': body.byteLength } },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(0));
      },
    );
    // The server may answer (429) and close before the body is sent: that is the defence working.
    req.on('error', () => done(0));
    req.end(body);
  });
}

async function loop(): Promise<void> {
  while (!stop) await once();
}

void Promise.all(Array.from({ length: attackers }, loop)).then(() => {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({ requests: latencies.length, statuses, latency: { median: at(50), p95: at(95) }, bodyBytes: body.byteLength })}\n`,
  );
});
