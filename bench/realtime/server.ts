/**
 * One app node for bench/realtime: the real app (createApp) on PORT, listening like main.ts (same
 * backlog), reporting to the orchestrator over IPC. On request it counts the SQL statements the app
 * sends (all pg clients) and takes a CPU profile of a phase (node:inspector), so the per-message
 * cost can be read without a debugger attached.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { createApp, LISTEN_BACKLOG, listenWithBacklog } from '../../src/bootstrap';
import { validateEnv } from '../../src/config/env';

type Command = { type: 'stop' } | { type: 'stats' } | { type: 'profile-start' } | { type: 'profile-stop'; file: string };

let statements = 0;
let sqlMs: number[] = [];
const query = Client.prototype.query as (...args: unknown[]) => unknown;
Client.prototype.query = function counted(this: Client, ...args: unknown[]) {
  statements += 1;
  const started = performance.now();
  const result = query.apply(this, args);
  if (result instanceof Promise && sqlMs.length < 200_000)
    void result.then(
      () => sqlMs.push(performance.now() - started),
      () => undefined,
    );
  return result;
} as typeof Client.prototype.query;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

async function main(): Promise<void> {
  const env = validateEnv(process.env);
  const app = await createApp(env);
  // BENCH_BACKLOG only to reproduce the old default (511) when comparing.
  await listenWithBacklog(app, env.PORT, '127.0.0.1', Number(process.env.BENCH_BACKLOG ?? LISTEN_BACKLOG));
  // Requests waiting for one of the pool's DATABASE_MAX_CONNECTIONS, sampled every 50 ms.
  const pool = (app.get(DataSource).driver as unknown as { master: { waitingCount: number } }).master;
  let waitingMax = 0;
  let waitingSum = 0;
  let waitingSamples = 0;
  setInterval(() => {
    waitingMax = Math.max(waitingMax, pool.waitingCount);
    waitingSum += pool.waitingCount;
    waitingSamples += 1;
  }, 50).unref();
  let elu: EventLoopUtilization = performance.eventLoopUtilization();
  const session = new Session();
  session.connect();
  process.send?.({ type: 'ready', pid: process.pid });
  process.on('message', (msg: Command) => {
    if (msg.type === 'stop') void app.close().then(() => process.exit(0));
    else if (msg.type === 'stats') {
      // Per phase (between two 'stats'): SQL round-trip times as the app sees them (pool wait
      // excluded), event-loop delay and utilisation, pool waiting; then all reset.
      const sorted = sqlMs.sort((a, b) => a - b);
      const pct = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? NaN;
      const loop = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      const utilization = performance.eventLoopUtilization(elu).utilization;
      const poolWaiting = { max: waitingMax, mean: waitingSum / Math.max(1, waitingSamples) };
      process.send?.({
        type: 'stats',
        statements,
        cpu: process.cpuUsage(),
        sqlMs: { p50: pct(50), p95: pct(95), p99: pct(99) },
        loopDelayMs: loop,
        utilization,
        poolWaiting,
      });
      elu = performance.eventLoopUtilization();
      waitingMax = 0;
      waitingSum = 0;
      waitingSamples = 0;
      sqlMs = [];
      loopDelay.reset();
    } else if (msg.type === 'profile-start') {
      void session
        .post('Profiler.enable')
        .then(() => session.post('Profiler.setSamplingInterval', { interval: 500 }))
        .then(() => session.post('Profiler.start'))
        .then(() => process.send?.({ type: 'profiling' }));
    } else if (msg.type === 'profile-stop') {
      void session.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(msg.file, JSON.stringify(profile));
        process.send?.({ type: 'profiled', file: msg.file });
      });
    }
  });
}

main().catch((err) => {
  console.error('bench server failed', err);
  process.exit(1);
});
