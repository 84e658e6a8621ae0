import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import globalTeardown from '../helpers/global-teardown';
import { freePort } from '../helpers/net';
import { TEST_DB_PREFIX, testEnv } from '../helpers/test-db';

const PASSWORD = 'teardown-secret';

/** The shared server's binaries (initdb, pg_ctl), as it reports them. */
async function binDir(): Promise<string> {
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
    return (await client.query<{ setting: string }>("SELECT setting FROM pg_config WHERE name = 'BINDIR'")).rows[0].setting;
  } finally {
    await client.end();
  }
}

const asPostgres = (bin: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });

/**
 * A PostgreSQL of its own that demands a password (scram-sha-256), never the shared one: the
 * global teardown must log in with DATABASE_PASSWORD and drop this run's leftover databases.
 */
describe('global teardown on a password-protected PostgreSQL', () => {
  let dir: string;
  let bin: string;
  let port: number;
  let started = false;
  const connect = (password?: string) => new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });

  beforeAll(async () => {
    bin = await binDir();
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'pg-teardown-'));
    const pwfile = join(dir, 'pw');
    writeFileSync(pwfile, PASSWORD);
    chmodSync(dir, 0o700);
    execFileSync('chown', ['-R', 'postgres', dir]);
    chownSync(pwfile, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
    asPostgres(join(bin, 'initdb'), [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
    ]);
    asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      join(dir, 'data'),
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
    started = true;
  }, 120_000);
  afterAll(() => {
    try {
      if (started) asPostgres(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops the leftover databases of this run, logging in with DATABASE_PASSWORD', async () => {
    // The server really checks passwords (the teardown used to send none).
    const wrong = connect('wrong');
    wrong.on('error', () => undefined);
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);

    const admin = connect(PASSWORD);
    admin.on('error', () => undefined);
    await admin.connect();
    const leftover = `${TEST_DB_PREFIX}crashed_suite`;
    const unrelated = 'not_a_test_database';
    try {
      await admin.query(`CREATE DATABASE "${leftover}"`);
      await admin.query(`CREATE DATABASE "${unrelated}"`);
      const saved = { port: process.env.DATABASE_PORT, password: process.env.DATABASE_PASSWORD, host: process.env.DATABASE_HOST };
      Object.assign(process.env, { DATABASE_PORT: String(port), DATABASE_PASSWORD: PASSWORD, DATABASE_HOST: '127.0.0.1' });
      try {
        await globalTeardown();
      } finally {
        for (const [key, value] of [
          ['DATABASE_PORT', saved.port],
          ['DATABASE_PASSWORD', saved.password],
          ['DATABASE_HOST', saved.host],
        ] as const) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      }
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [
        [leftover, unrelated],
      ]);
      expect(rows.map((r) => r.datname)).toEqual([unrelated]);
    } finally {
      await admin.end();
    }
  });
});
