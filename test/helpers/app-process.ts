import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './net';
import { testEnv } from './test-db';

const root = join(__dirname, '..', '..');
/** ts-node compiles the app on every start: on a loaded 2-core machine that alone has taken over 45 s. */
const READY_TIMEOUT_MS = 90_000;

/**
 * One app node as its own OS process (src/main.ts through ts-node, as `npm run dev` runs it), so
 * per-process state (the Active Record DataSource, caches, timers) is really per node. Multi-node
 * and fault tests use this; single-node tests may keep using startTestApp in-process.
 */
export interface AppProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for the exit, SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface AppProcessOptions {
  /** The database to serve (must be migrated: createSuiteDatabase gives one). */
  database: string;
  /** Redis key prefix; nodes of one test share it. Default `test:<database>:`. */
  redisKeyPrefix?: string;
  /** More environment variables (override the test defaults). */
  env?: Record<string, string>;
  /** How long to wait for /health/ready. */
  readyTimeoutMs?: number;
}

/** Starts a node and resolves once GET /health/ready answers 200. */
export async function startAppProcess(opts: AppProcessOptions): Promise<AppProcess> {
  const port = await freePort();
  const env = testEnv({ DATABASE_NAME: opts.database, REDIS_KEY_PREFIX: opts.redisKeyPrefix ?? `test:${opts.database}:` });
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('JEST_')) childEnv[k] = v;
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string' || typeof v === 'number') childEnv[k] = String(v);
  Object.assign(childEnv, { TS_NODE_PROJECT: join(root, 'tsconfig.json'), NODE_ENV: 'test', PORT: String(port), ...opts.env });

  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exit.then(() => (gone = true));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    if (gone) throw new Error(`app process exited before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app process not ready within ${opts.readyTimeoutMs ?? READY_TIMEOUT_MS} ms:\n${out}`);
    }
    const ok = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    url,
    port,
    pid: child.pid as number,
    child,
    output: () => out,
    exited: () => exit,
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) {
      if (gone) return exit;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}

/**
 * Starts `count` nodes side by side on one database (and Redis key prefix). If any fails to get
 * ready, the others are stopped before the error is thrown, so no process outlives the test.
 */
export async function startAppProcesses(count: number, opts: AppProcessOptions): Promise<AppProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startAppProcess({ readyTimeoutMs: 120_000, ...opts })));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.filter((r) => r.status === 'fulfilled').map((r) => r.value.stop()));
    throw failed.reason;
  }
  return started.map((r) => (r as PromiseFulfilledResult<AppProcess>).value);
}
