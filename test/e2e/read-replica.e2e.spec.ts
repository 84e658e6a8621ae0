import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/config/database.config';
import { createUser, planetWith, type UserFixture } from '../factories';
import { AppProcess, startAppProcess } from '../helpers/app-process';
import { PrivatePostgres } from '../helpers/private-postgres';
import { sleep } from '../helpers/socket';

const MAX_LAG_MS = 1000;
/** One execution of the message list's statement (findWithCounts) in a server's log. */
const LIST_SQL = /AS read_count/g;
/** One execution of the search statement. */
const SEARCH_SQL = /searchable_text/g;
/** PlanetUser.findActive (the membership check), as TypeORM writes it. */
const MEMBERSHIP_SQL = /FROM "planet_user" "pu"/g;

/**
 * A primary and a real streaming replica (initdb, then pg_basebackup -R) of the test's own, both
 * with log_statement=all, so the test sees in each server's log which one ran a statement; an app
 * node (its own process) with DATABASE_REPLICA_URLS pointing at the replica.
 */
describe('PostgreSQL read replica (DATABASE_REPLICA_URLS)', () => {
  let primary: PrivatePostgres;
  let replica: PrivatePostgres;
  let ds: DataSource;
  let node: AppProcess;
  let alice: UserFixture; // writes
  let bob: UserFixture; // only reads
  let planetId: number;

  const count = (pg: PrivatePostgres, re: RegExp) => (pg.log().match(re) ?? []).length;
  const counts = (re: RegExp) => ({ primary: count(primary, re), replica: count(replica, re) });
  const list = async (u: UserFixture) => {
    const res = await fetch(`${node.url}/api/v1/planets/${planetId}/messages?limit=50`, {
      headers: u.auth,
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { id: string; content: string }[] }).data;
  };
  const send = async (u: UserFixture, content: string) => {
    const res = await fetch(`${node.url}/api/v1/planets/${planetId}/messages`, {
      method: 'POST',
      headers: { ...u.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ content }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  /** Waits for the log lines of statements already run (the server writes them as it executes). */
  const settle = () => sleep(150);
  const onReplica = async (sql: string) => {
    const c = new Client({ host: '127.0.0.1', port: replica.port, user: 'postgres', database: replica.database });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    primary = await PrivatePostgres.create(`connecto_replica_${randomBytes(4).toString('hex')}`, {
      settings: ['log_statement=all', 'full_page_writes=on'],
    });
    replica = await primary.replica();
    ds = createDataSource(primary.env(), { max: 2, min: 0 });
    await ds.initialize();
    [alice, bob] = await Promise.all([createUser(primary.env()), createUser(primary.env())]);
    planetId = await planetWith(alice, [bob]);
    node = await startAppProcess({
      database: primary.database,
      env: {
        DATABASE_PORT: String(primary.port),
        DATABASE_REPLICA_URLS: `postgres://postgres@127.0.0.1:${replica.port}/${primary.database}`,
        DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
        DATABASE_REPLICA_CHECK_INTERVAL_MS: '200',
        DATABASE_ACQUIRE_TIMEOUT: '1000',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_SEND: '100000/60s',
      },
    });
    await sleep(2 * MAX_LAG_MS); // the factories' writes are older than the lag bound now
  }, 180_000);
  afterAll(async () => {
    await node?.stop();
    if (ds?.isInitialized) await ds.destroy();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('is a real streaming replica', async () => {
    const c = new Client({ host: '127.0.0.1', port: primary.port, user: 'postgres', database: 'postgres' });
    await c.connect();
    try {
      const { rows } = await c.query<{ state: string }>('SELECT state FROM pg_stat_replication');
      expect(rows.map((r) => r.state)).toEqual(['streaming']);
    } finally {
      await c.end();
    }
  });

  it('answers lag-tolerant reads (message list, search) of a reader from the replica; the membership check stays on the primary', async () => {
    const before = counts(LIST_SQL);
    const searchBefore = counts(SEARCH_SQL);
    for (let i = 0; i < 10; i++) await list(bob);
    const s = await fetch(`${node.url}/api/v1/messages/search?query=paused`, { headers: bob.auth });
    expect(s.status).toBe(200);
    await settle();
    const after = counts(LIST_SQL);
    expect(after.replica - before.replica).toBe(10);
    expect(after.primary - before.primary).toBe(0);
    expect(counts(SEARCH_SQL).replica - searchBefore.replica).toBeGreaterThan(0);
    expect(counts(SEARCH_SQL).primary - searchBefore.primary).toBe(0);
    // The membership check before each list ran on the primary, never on the replica (it is cached
    // for its TTL, so it may have been loaded before these 10 lists: it ran on the primary at least once).
    expect(counts(MEMBERSHIP_SQL).primary).toBeGreaterThanOrEqual(1);
    expect(counts(MEMBERSHIP_SQL).replica).toBe(0);
  });

  it("reads right after the caller's own write go to the primary and see it (read-your-writes), also while the replica is behind", async () => {
    await onReplica('SELECT pg_wal_replay_pause()'); // the replica now falls behind every write
    try {
      const before = counts(LIST_SQL);
      for (let i = 0; i < 10; i++) {
        const id = await send(alice, `own write ${i}`);
        const page = await list(alice);
        expect(page.map((m) => m.id)).toContain(id);
      }
      await settle();
      const after = counts(LIST_SQL);
      expect(after.primary - before.primary).toBe(10);
      expect(after.replica - before.replica).toBe(0);
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
  });

  it("sends everyone's reads to the primary while the replica lags past DATABASE_REPLICA_MAX_LAG_MS, and back once it caught up", async () => {
    await onReplica('SELECT pg_wal_replay_pause()');
    let fresh: string;
    try {
      fresh = await send(alice, 'written while the replica is paused');
      await sleep(MAX_LAG_MS + 500);
      const before = counts(LIST_SQL);
      const page = await list(bob); // bob never wrote, yet must see the new message: from the primary
      expect(page.map((m) => m.id)).toContain(fresh);
      await settle();
      expect(counts(LIST_SQL).primary - before.primary).toBe(1);
      expect(counts(LIST_SQL).replica - before.replica).toBe(0);
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
    await sleep(1000); // caught up; the next check (200 ms) sees it
    const before = counts(LIST_SQL);
    const page = await list(bob);
    expect(page.map((m) => m.id)).toContain(fresh);
    await settle();
    expect(counts(LIST_SQL).replica - before.replica).toBe(1);
  });

  it('keeps answering when the replica is stopped under traffic (the primary takes over), and uses it again once it is back', async () => {
    const statuses: number[] = [];
    let running = true;
    const reader = (async () => {
      while (running) {
        const res = await fetch(`${node.url}/api/v1/planets/${planetId}/messages?limit=20`, {
          headers: bob.auth,
          signal: AbortSignal.timeout(10_000),
        }).catch(() => undefined);
        statuses.push(res?.status ?? 0);
        await sleep(20);
      }
    })();
    await sleep(500);
    const stoppedAt = statuses.length;
    await replica.stop();
    await sleep(2000);
    const duringOutage = counts(LIST_SQL);
    await sleep(1000);
    await settle();
    const laterOutage = counts(LIST_SQL);
    await replica.start();
    await sleep(1500);
    const back = counts(LIST_SQL);
    await sleep(1000);
    running = false;
    await reader;
    await settle();
    const end = counts(LIST_SQL);
    // Every read answered 200, through the stop and the restart.
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(stoppedAt + 20);
    // During the outage the primary served the lists; after the restart the replica does again.
    expect(laterOutage.primary - duringOutage.primary).toBeGreaterThan(5);
    expect(end.replica - back.replica).toBeGreaterThan(5);
    console.log(`[replica] ${statuses.length} reads through a replica stop and restart, all 200`);
  }, 60_000);
});
