import { Client } from 'pg';
import { TEST_DB_PREFIX, testEnv } from './test-db';

/** Drops this run's template and any suite database of this run that a crashed suite left behind. */
export default async function globalTeardown(): Promise<void> {
  const env = testEnv();
  const client = new Client({
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    user: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
      TEST_DB_PREFIX,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
