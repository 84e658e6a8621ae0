#!/usr/bin/env node
/*
 * `npm run db:prepare` / `yarn db:prepare`: creates the database named by DATABASE_NAME when it is
 * missing (connecting to the `postgres` maintenance database) and runs the pending migrations.
 * Safe to run any number of times. Prints one readable line and exits 1 when PostgreSQL is not
 * there or refuses.
 *
 * Uses the TypeScript sources through ts-node when the dev dependencies are installed, else the
 * compiled dist/ (production image), like scripts/typeorm.js.
 */
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');

class PrepareError extends Error {}

/** The project's own modules (config, DataSource, boot messages), from src/ via ts-node or from dist/. */
function loadProject() {
  // Sources only where they exist (ts-node survives `npm prune --omit=dev` as an optional peer of typeorm).
  let useTs = fs.existsSync(path.join(root, 'src', 'config', 'env.ts'));
  try {
    require.resolve('ts-node');
  } catch {
    useTs = false;
  }
  if (useTs) {
    process.env.TS_NODE_TRANSPILE_ONLY ??= 'true';
    process.env.TS_NODE_PROJECT ??= path.join(root, 'tsconfig.json');
    require('ts-node').register();
    require('reflect-metadata');
  } else if (!fs.existsSync(path.join(root, 'dist', 'src', 'config', 'env.js'))) {
    throw new PrepareError('neither ts-node (dev dependencies: run `npm ci`) nor dist/ (run `npm run build`) is available');
  }
  const base = useTs ? path.join(root, 'src') : path.join(root, 'dist', 'src');
  return {
    env: require(path.join(base, 'config', 'env')),
    dotenv: require(path.join(base, 'config', 'load-dotenv')),
    database: require(path.join(base, 'config', 'database.config')),
    boot: require(path.join(base, 'common', 'errors', 'boot.error')),
    base,
    useTs,
  };
}

/** Loads .env (when present) and validates the environment; throws a readable error. */
function loadEnv(project) {
  project.dotenv.loadDotenv();
  try {
    return project.env.validateEnv();
  } catch (err) {
    if (err instanceof project.env.ConfigError) throw new PrepareError(err.message);
    throw err;
  }
}

const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

/** A pg client on the maintenance database, or a readable error naming PostgreSQL and its address. */
async function connectAdmin(project, env) {
  const { Client } = require('pg');
  const where = `${env.DATABASE_HOST}:${env.DATABASE_PORT}`;
  let lastErr;
  for (const database of ['postgres', 'template1']) {
    const client = new Client({
      host: env.DATABASE_HOST,
      port: env.DATABASE_PORT,
      user: env.DATABASE_USER,
      password: env.DATABASE_PASSWORD || undefined,
      database,
      connectionTimeoutMillis: 5000,
      application_name: `${env.DATABASE_APPLICATION_NAME}-prepare`,
    });
    try {
      await client.connect();
      return client;
    } catch (err) {
      lastErr = err;
      await client.end().catch(() => undefined);
      if (err && err.code === '3D000') continue; // no `postgres` database: try template1
      break;
    }
  }
  const e = lastErr || {};
  if (e.code === '28P01' || e.code === '28000') {
    throw new PrepareError(
      `PostgreSQL at ${where} refused user "${env.DATABASE_USER}" (${e.message}): check DATABASE_USER / DATABASE_PASSWORD`,
    );
  }
  throw new PrepareError(
    `PostgreSQL is not reachable at ${where} (${e.code || e.message || String(e)}): ${project.boot.HOW_TO_START.postgres}`,
  );
}

/** Checks PostgreSQL answers (used by the dev start before anything else). */
async function checkPostgres(project, env) {
  const client = await connectAdmin(project, env);
  await client.end();
}

/** Creates the database if missing; returns true when it was created. */
async function ensureDatabase(project, env) {
  const client = await connectAdmin(project, env);
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [env.DATABASE_NAME]);
    if (rowCount > 0) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(env.DATABASE_NAME)}`);
    } catch (err) {
      if (err.code === '42P04') return false; // created concurrently
      if (err.code === '42501') {
        throw new PrepareError(
          `PostgreSQL user "${env.DATABASE_USER}" may not create databases: create "${env.DATABASE_NAME}" yourself (createdb ${env.DATABASE_NAME}) and run this again`,
        );
      }
      throw err;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Runs the pending migrations, each in its own transaction; returns the names applied. */
async function runMigrations(project, env) {
  const ds = project.database.createDataSource(env, { max: 2, min: 0 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM "${ds.options.migrationsTableName || 'migrations'}"`);
    return { applied: applied.map((m) => m.name), total: count };
  } finally {
    await ds.destroy();
  }
}

/** Creates the database when missing and migrates it; logs what it did. */
async function prepareDatabase(project, env, log = console.log) {
  const created = await ensureDatabase(project, env);
  if (created) log(`db:prepare: created database "${env.DATABASE_NAME}" on ${env.DATABASE_HOST}:${env.DATABASE_PORT}`);
  const { applied, total } = await runMigrations(project, env);
  if (applied.length > 0) log(`db:prepare: applied ${applied.length} migration(s): ${applied.join(', ')}`);
  log(`db:prepare: database "${env.DATABASE_NAME}" is up to date (${total} migration(s))`);
  return { created, applied };
}

module.exports = { loadProject, loadEnv, checkPostgres, ensureDatabase, runMigrations, prepareDatabase, PrepareError };

if (require.main === module) {
  (async () => {
    const project = loadProject();
    const env = loadEnv(project);
    await prepareDatabase(project, env);
  })().catch((err) => {
    if (err instanceof PrepareError) console.error(`db:prepare: ${err.message}`);
    else console.error('db:prepare: failed:', err);
    process.exit(1);
  });
}
