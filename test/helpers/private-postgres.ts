import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createDataSource } from '../../src/config/database.config';
import { freePort } from './net';
import { adminQuery, testEnv } from './test-db';

const run = promisify(execFile);

/** The OS user that owns the cluster (initdb refuses to run as root). */
const PG_OS_USER = 'postgres';

/**
 * A PostgreSQL server of the test's own (initdb + pg_ctl, run as the `postgres` OS user, on a free
 * port, trust auth, data under a temporary folder), migrated like the shared one, for tests that
 * stop, restart, freeze and thaw the database. The shared server on 5432 is never touched: the
 * only PIDs ever signalled are read from this cluster's own postmaster.pid. Call `destroy()` in
 * afterAll, whatever happened.
 */
export class PrivatePostgres {
  private frozen: number[] = [];

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly bindir: string,
    readonly database: string,
    /** More `-c name=value` server settings (e.g. log_statement=all to see which server answered). */
    private readonly settings: string[] = [],
  ) {}

  /** initdb, start, create `database` and run the migrations. */
  static async create(database = 'connecto_fault', opts: { settings?: string[] } = {}): Promise<PrivatePostgres> {
    const bindir = await sharedBindir();
    const dataDir = await newRoot();
    const pg = new PrivatePostgres(await freePort(), dataDir, bindir, database, opts.settings);
    try {
      await pg.asPostgres('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
      await pg.start();
      await adminQuery(`CREATE DATABASE "${database}"`, pg.env({ DATABASE_NAME: 'postgres' }));
      const ds = createDataSource(pg.env(), { max: 2, min: 0 });
      await ds.initialize();
      try {
        await ds.runMigrations({ transaction: 'each' });
      } finally {
        await ds.destroy();
      }
      return pg;
    } catch (err) {
      await pg.destroy();
      throw err;
    }
  }

  /**
   * A streaming replica of this server (a hot standby on a port of its own): `pg_basebackup -R`
   * (which writes primary_conninfo and standby.signal), then started. The primary must be running
   * with `full_page_writes=on` (create it with that setting: the default here is off, for speed).
   */
  async replica(opts: { settings?: string[] } = {}): Promise<PrivatePostgres> {
    const dataDir = await newRoot();
    const replica = new PrivatePostgres(await freePort(), dataDir, this.bindir, this.database, opts.settings ?? this.settings);
    try {
      await replica.asPostgres('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(this.port),
        '-U',
        'postgres',
        '-D',
        dataDir,
        '-R',
        '-X',
        'stream',
        '--checkpoint=fast',
        '--no-sync',
      ]);
      await replica.start();
      return replica;
    } catch (err) {
      await replica.destroy();
      throw err;
    }
  }

  /** The server's log so far (pg_ctl -l). */
  log(): string {
    try {
      return readFileSync(join(this.dataDir, '..', 'server.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Test connection settings pointing at this server (for testEnv / startAppProcess env). */
  env(overrides: Record<string, string> = {}) {
    return testEnv({ DATABASE_PORT: String(this.port), DATABASE_NAME: this.database, ...overrides });
  }

  /** Starts (or restarts) the server and waits until it accepts queries. */
  async start(): Promise<void> {
    if (this.postmasterPid() !== undefined) return;
    const opts = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dataDir}`,
      '-c shared_buffers=16MB',
      '-c max_connections=60',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c logging_collector=off',
      ...this.settings.map((c) => `-c ${c}`),
    ].join(' ');
    await this.asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      opts,
      '-l',
      join(this.dataDir, '..', 'server.log'),
      '-w',
      '-t',
      '30',
      'start',
    ]);
    await this.waitReady();
  }

  /** Stops the server (fast shutdown: sessions are cut, as in a failover or a crash of the host). */
  async stop(): Promise<void> {
    await this.thaw();
    if (this.postmasterPid() === undefined) return;
    await this.asPostgres('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  }

  /**
   * SIGSTOP for the postmaster and every backend: the host stops answering while its TCP
   * connections stay open (the kernel still accepts new ones): what a hung VM looks like.
   */
  async freeze(): Promise<void> {
    const pid = this.postmasterPid();
    if (pid === undefined) throw new Error('private PostgreSQL is not running');
    process.kill(pid, 'SIGSTOP'); // first, so it forks no new backend meanwhile
    const children = await childPids(pid);
    for (const child of children) process.kill(child, 'SIGSTOP');
    this.frozen = [pid, ...children];
  }

  /** SIGCONT for what freeze() stopped (backends first, then the postmaster). */
  async thaw(): Promise<void> {
    const frozen = this.frozen;
    this.frozen = [];
    for (const pid of frozen.reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone meanwhile
      }
    }
  }

  /** Stops the server by its own PID (SIGCONT first if frozen, then SIGQUIT / SIGKILL) and deletes its files. */
  async destroy(): Promise<void> {
    await this.thaw();
    const pid = this.postmasterPid();
    if (pid !== undefined) {
      await this.asPostgres('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop']).catch(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      });
    }
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }

  /** The postmaster's PID from this cluster's postmaster.pid, if it is running. */
  postmasterPid(): number | undefined {
    let pid: number;
    try {
      pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new Client({
        host: '127.0.0.1',
        port: this.port,
        user: 'postgres',
        database: 'postgres',
        connectionTimeoutMillis: 1000,
      });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  private async asPostgres(bin: string, args: string[]): Promise<void> {
    await run('runuser', ['-u', PG_OS_USER, '--', join(this.bindir, bin), ...args], { timeout: 60_000 }).catch(
      (err: Error & { stderr?: string }) => {
        throw new Error(`${bin} failed: ${err.message}\n${err.stderr ?? ''}`);
      },
    );
  }
}

/** A temporary folder owned by the postgres OS user; returns its `data` subfolder (not created). */
async function newRoot(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'connecto-pg-'));
  chmodSync(root, 0o755);
  const { uid, gid } = await osUser(PG_OS_USER);
  chownSync(root, uid, gid);
  return join(root, 'data');
}

/** BINDIR of the shared server's installation (the same major version as the one the app is tested on). */
async function sharedBindir(): Promise<string> {
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
    const { rows } = await client.query<{ setting: string }>("SELECT setting FROM pg_config WHERE name = 'BINDIR'");
    return rows[0].setting;
  } finally {
    await client.end();
  }
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function childPids(pid: number): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}
