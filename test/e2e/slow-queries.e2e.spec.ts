import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/config/database.config';
import { slowQueryReport } from '../../src/modules/admin/slow-queries';
import { PrivatePostgres } from '../helpers/private-postgres';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createSuiteDatabase, dropDatabase, testEnv } from '../helpers/test-db';

const ROOT = join(__dirname, '..', '..');
const ADMIN_TOKEN = 'admin-token-for-the-slow-query-suite';

/** `yarn perf:slow-queries` as a user runs it, against the database `env` names. */
function runScript(env: Record<string, string>, args: string[] = []) {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'scripts', 'perf-slow-queries.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dbEnv = (port: number, database: string) => ({
  DATABASE_HOST: '127.0.0.1',
  DATABASE_PORT: String(port),
  DATABASE_USER: 'postgres',
  DATABASE_NAME: database,
});

async function preloadOf(port: number): Promise<string> {
  const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    return (await c.query<{ s: string }>(`SELECT current_setting('shared_preload_libraries') AS s`)).rows[0].s;
  } finally {
    await c.end();
  }
}

describe('perf:slow-queries and GET /admin/slow-queries', () => {
  describe('without pg_stat_statements (the shared server, when it does not preload it)', () => {
    let database: string;
    let preload: string;

    beforeAll(async () => {
      preload = await preloadOf(testEnv().DATABASE_PORT);
      database = await createSuiteDatabase('slowq_none');
    });
    afterAll(async () => {
      await dropDatabase(database);
    });

    it('says plainly that it is not available and how to enable it, and exits 0', () => {
      if (preload.includes('pg_stat_statements')) {
        console.warn('slow-queries.e2e: the shared server preloads pg_stat_statements: the "not available" answer is not tested here');
        return;
      }
      const r = runScript(dbEnv(testEnv().DATABASE_PORT, database));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(
        `pg_stat_statements is not available for database "${database}": pg_stat_statements is not in shared_preload_libraries`,
      );
      expect(r.stdout).toContain('shared_preload_libraries=pg_stat_statements');
      expect(r.stdout).toContain('CREATE EXTENSION pg_stat_statements');
    });
  });

  describe('with pg_stat_statements (a private server that preloads it)', () => {
    let pg: PrivatePostgres;
    let ds: DataSource;
    let t: TestApp;

    beforeAll(async () => {
      pg = await PrivatePostgres.create(`connecto_slowq_${randomBytes(4).toString('hex')}`, {
        settings: ['shared_preload_libraries=pg_stat_statements'],
      });
      ds = createDataSource(pg.env(), { max: 2, min: 0 });
      await ds.initialize();
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await ds?.destroy();
      await pg?.destroy();
    });

    it('before CREATE EXTENSION: loaded but not created, said so', async () => {
      const r = await slowQueryReport(ds);
      expect(r).toMatchObject({ available: false, reason: expect.stringContaining('loaded but the extension is not created') });
      const out = runScript(dbEnv(pg.port, pg.database));
      expect(out.status).toBe(0);
      expect(out.stdout).toContain(`run \`CREATE EXTENSION pg_stat_statements;\` in database "${pg.database}"`);
    });

    it('lists the slowest statements by mean time and the most frequent by calls, with calls, times and rows', async () => {
      await ds.query('CREATE EXTENSION pg_stat_statements');
      await ds.query('SELECT pg_stat_statements_reset()');
      for (let i = 0; i < 3; i++) await ds.query('SELECT pg_sleep(0.03) AS slow_marker');
      for (let i = 0; i < 40; i++) await ds.query('SELECT $1::int + 1 AS frequent_marker', [i]);

      const r = await slowQueryReport(ds, 5);
      if (!r.available) throw new Error(`expected available, got ${r.reason}`);
      expect(r.database).toBe(pg.database);
      const slow = r.slowest[0];
      expect(slow.query).toContain('slow_marker');
      expect(slow.calls).toBe(3);
      expect(slow.meanMs).toBeGreaterThanOrEqual(30);
      expect(slow.totalMs).toBeGreaterThanOrEqual(90);
      expect(slow.rows).toBe(3);
      const frequent = r.mostFrequent.find((s) => s.query.includes('frequent_marker'));
      expect(frequent).toMatchObject({ calls: 40, rows: 40 });
      expect(r.mostFrequent[0].calls).toBeGreaterThanOrEqual(40);
      // The report's own statements are left out.
      expect([...r.slowest, ...r.mostFrequent].filter((s) => s.query.includes('pg_stat_statements'))).toEqual([]);

      const text = runScript(dbEnv(pg.port, pg.database));
      expect(text.status).toBe(0);
      expect(text.stdout).toContain('slowest statements (by mean time):');
      expect(text.stdout).toContain('most frequent statements (by calls):');
      expect(text.stdout).toMatch(/\d+\.\d{3}\s+\d+\.\d{3}\s+3\s+\d+\.\d\s+3\s+SELECT pg_sleep\(\$1\) AS slow_marker/);
      const json = runScript(dbEnv(pg.port, pg.database), ['--json', '--limit', '2']);
      expect(json.status).toBe(0);
      const parsed = JSON.parse(json.stdout) as { available: boolean; slowest: unknown[] };
      expect(parsed.available).toBe(true);
      expect(parsed.slowest).toHaveLength(2);
      expect(runScript(dbEnv(pg.port, pg.database), ['--limit', 'x']).status).toBe(1);
    });

    it('GET /admin/slow-queries answers the same report to the admin token', async () => {
      t = await startTestApp({ database: pg.database, env: { DATABASE_PORT: String(pg.port), ADMIN_TOKEN } });
      await t.http.get('/admin/slow-queries').expect(401);
      const res = await t.http.get('/admin/slow-queries?limit=3').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
      expect(res.body).toMatchObject({ available: true, database: pg.database });
      expect(res.body.slowest.length).toBeGreaterThan(0);
      expect(res.body.slowest.length).toBeLessThanOrEqual(3);
      expect(res.body.slowest[0]).toEqual({
        query: expect.any(String),
        calls: expect.any(Number),
        totalMs: expect.any(Number),
        meanMs: expect.any(Number),
        maxMs: expect.any(Number),
        rows: expect.any(Number),
      });
    });
  });
});
