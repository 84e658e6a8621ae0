import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/config/database.config';
import { EnvironmentVariables, validateEnv } from '../../src/config/env';

/**
 * One jest run's databases share a run id (set by global-setup, inherited by the workers), so
 * concurrent runs on one machine never drop each other's databases.
 */
export const TEST_RUN_ID = (process.env.CONNECTO_TEST_RUN ??= `r${process.pid}${randomBytes(2).toString('hex')}`);
export const TEST_DB_PREFIX = `connecto_test_${TEST_RUN_ID}_`;
/** The migrated database every suite of this run clones (built once per run by global-setup). */
export const TEMPLATE_DB = `${TEST_DB_PREFIX}template`;

/** Connection settings of the shared local PostgreSQL and Redis, overridable like the app's. */
export function testEnv(overrides: Record<string, string> = {}): EnvironmentVariables {
  return validateEnv({
    DATABASE_HOST: process.env.DATABASE_HOST ?? '127.0.0.1',
    DATABASE_PORT: process.env.DATABASE_PORT ?? '5432',
    DATABASE_USER: process.env.DATABASE_USER ?? 'postgres',
    DATABASE_PASSWORD: process.env.DATABASE_PASSWORD ?? '',
    REDIS_HOST: process.env.REDIS_HOST ?? '127.0.0.1',
    REDIS_PORT: process.env.REDIS_PORT ?? '6379',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BCRYPT_ROUNDS: '4',
    DATABASE_MIN_CONNECTIONS: '0',
    DATABASE_MAX_CONNECTIONS: '10',
    SWAGGER_ENABLED: 'true',
    // Every suite's auth requests come from 127.0.0.1; the rate-limit suites set the limits they test.
    RATE_LIMIT_AUTH_IP: '10000/60s',
    ...overrides,
  });
}

export async function adminQuery(sql: string, env = testEnv()): Promise<void> {
  const client = new Client({
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    user: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: 'postgres',
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function uniqueName(tag = 's'): string {
  return `${TEST_DB_PREFIX}${tag
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** A fresh database for one suite, cloned from the migrated template. */
export async function createSuiteDatabase(tag?: string): Promise<string> {
  const name = uniqueName(tag);
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`);
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export interface SuiteDb {
  name: string;
  env: EnvironmentVariables;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A suite's own database with an initialised DataSource (which binds the Active Record entities
 * to it). Call `close()` in afterAll.
 */
export async function openSuiteDb(tag?: string, envOverrides: Record<string, string> = {}): Promise<SuiteDb> {
  const name = await createSuiteDatabase(tag);
  const env = testEnv({ DATABASE_NAME: name, REDIS_KEY_PREFIX: `test:${name}:`, ...envOverrides });
  const dataSource = createDataSource(env);
  await dataSource.initialize();
  return {
    name,
    env,
    dataSource,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase(name);
    },
  };
}
