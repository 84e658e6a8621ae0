import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/config/database.config';
import { EnvironmentVariables, validateEnv } from '../src/config/env';

/** Settings for benchmarks: the local services, a database of the bench's own (never a test one). */
/** Secrets of this bench run (outside tests the app refuses the example ones). */
const RUN_SECRETS = {
  JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
  REFRESH_TOKEN_PEPPER: randomBytes(32).toString('hex'),
  STORAGE_SIGNING_SECRET: randomBytes(32).toString('hex'),
};

export function benchEnv(database: string, overrides: Record<string, string> = {}): EnvironmentVariables {
  return validateEnv({
    ...RUN_SECRETS,
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_NAME: database,
    SWAGGER_ENABLED: 'false',
    ...overrides,
  });
}

/** Creates the database if missing and migrates it; returns an initialised DataSource (which binds the entities). */
export async function openBenchDb(env: EnvironmentVariables, max = 10): Promise<DataSource> {
  const admin = new Client({
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    user: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [env.DATABASE_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${env.DATABASE_NAME}"`);
  } finally {
    await admin.end();
  }
  const ds = createDataSource(env, { max, min: 0 });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resolves once the app at `url` answers /health/ready with 200. */
export async function waitReady(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
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
