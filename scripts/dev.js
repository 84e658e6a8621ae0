#!/usr/bin/env node
/*
 * `npm run dev` / `yarn dev`: the one-command local start.
 *
 *   1. reads the environment (.env when present; the defaults fit local PostgreSQL and Redis),
 *   2. checks PostgreSQL and Redis answer — if not, one line naming the service, the address and
 *      how to start it, and exit 1,
 *   3. creates the database if missing and runs pending migrations (scripts/db-prepare.js),
 *   4. seeds the idempotent demo data (scripts/seed.ts) and prints the demo logins,
 *   5. runs the API (src/main.ts through ts-node, transpile-only: no build step) in the
 *      foreground on PORT (default 3000). Ctrl-C stops it cleanly.
 *
 * Set DEV_SKIP_SEED=true to skip step 4.
 */
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');

function fail(message) {
  console.error(`dev: ${message}`);
  process.exit(1);
}

try {
  require.resolve('ts-node');
} catch {
  fail('the dev start needs the dev dependencies: run `npm ci` first (production: `npm run build && npm start`)');
}

const { loadProject, loadEnv, checkPostgres, prepareDatabase, PrepareError } = require('./db-prepare');

/** Redis answers PING, or a readable error naming Redis and its address. */
async function checkRedis(project, env) {
  const Redis = require('ioredis');
  const where = `${env.REDIS_HOST}:${env.REDIS_PORT}`;
  const client = new Redis({
    host: env.REDIS_HOST,
    port: env.REDIS_PORT,
    password: env.REDIS_PASSWORD || undefined,
    db: env.REDIS_DB,
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let firstError;
  client.on('error', (err) => {
    firstError ??= err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (caught) {
    const err = firstError || caught;
    const msg = err && err.message ? err.message : String(err);
    if (/NOAUTH|WRONGPASS|invalid password/i.test(msg)) {
      throw new PrepareError(`Redis at ${where} refused the connection (${msg}): check REDIS_PASSWORD`);
    }
    throw new PrepareError(`Redis is not reachable at ${where} (${err.code || msg}): ${project.boot.HOW_TO_START.redis}`);
  } finally {
    client.disconnect();
  }
}

async function main() {
  const started = Date.now();
  const project = loadProject();
  const env = loadEnv(project);

  const checks = await Promise.allSettled([checkPostgres(project, env), checkRedis(project, env)]);
  const problems = checks.filter((c) => c.status === 'rejected').map((c) => c.reason);
  if (problems.length > 0) {
    for (const p of problems) console.error(`dev: ${p instanceof PrepareError ? p.message : p}`);
    process.exit(1);
  }

  await prepareDatabase(project, env);

  if (process.env.DEV_SKIP_SEED !== 'true') {
    const seed = require(path.join(root, 'scripts', 'seed.ts'));
    const result = await seed.runSeed();
    console.log(`seed: ${seed.describeResult(result)}`);
    console.log('');
    console.log(seed.formatLogins(result.logins));
    console.log('');
  }

  console.log(
    `dev: starting the API on http://localhost:${env.PORT} (docs: http://localhost:${env.PORT}/docs) — Ctrl-C to stop [prepared in ${((Date.now() - started) / 1000).toFixed(1)} s]`,
  );
  startApi();
}

/** Runs src/main.ts in a child process in the foreground; forwards signals; exits with it. */
function startApi() {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'src', 'main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TS_NODE_PROJECT: process.env.TS_NODE_PROJECT || path.join(root, 'tsconfig.json') },
  });
  let stopping = false;
  const stop = (signal) => {
    if (stopping) {
      child.kill('SIGKILL');
      return;
    }
    stopping = true;
    console.log(`\ndev: stopping the API (${signal})…`);
    // The child shares the terminal's process group and usually got the signal already; forwarding
    // covers `kill <pid>` of this process alone (the app ignores a second signal while closing).
    child.kill(signal);
    setTimeout(() => {
      console.error('dev: the API did not stop within 10 s; killing it');
      child.kill('SIGKILL');
    }, 10_000).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
  child.on('exit', (code, signal) => {
    if (stopping) {
      console.log('dev: API stopped.');
      process.exit(0);
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main().catch((err) => {
  if (err instanceof PrepareError) fail(err.message);
  if (err && (err.name === 'SeedError' || err.name === 'ConfigError')) fail(err.message);
  console.error('dev: failed:', err);
  process.exit(1);
});
