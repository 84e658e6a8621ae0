import { createDataSource } from '../../src/config/database.config';
import { adminQuery, TEMPLATE_DB, testEnv } from './test-db';

/** Builds the template database once per run, only through the migrations (no synchronize). */
export default async function globalSetup(): Promise<void> {
  const env = testEnv();
  await adminQuery(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`, env);
  await adminQuery(`CREATE DATABASE "${TEMPLATE_DB}"`, env);
  const ds = createDataSource(testEnv({ DATABASE_NAME: TEMPLATE_DB }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
