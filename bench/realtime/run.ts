/**
 * bench/realtime: socket.io-client connections spread over worker processes against the real app
 * (one node, then two nodes through Redis), planets of ~50 members, messages sent with
 * `message:send` — each authenticated, persisted and fanned out by the app. Reports delivery
 * latency P50/P95/P99 (send → message:new on every member), lost deliveries, server memory per
 * connection, connection retries, SQL statements and CPU per message (server, PostgreSQL), a rate
 * ladder (highest persisted msg/s with P95 < 100 ms) and where it broke.
 * Baseline in the same run (on by default, BENCH_BASELINE=false skips it): a plain Socket.IO 4.8
 * server (plain-server.ts: no Nest, no auth, no database, no Redis) driven by the same workers, the
 * same 10,000 clients in the same planets of 50, at 200 msg/s and at the
 * highest rate the app ran; printed side by side with the app (P50/P95/P99, P95 ratio app ÷
 * baseline, memory per connection) and written to the report as `baseline` and `vsBaseline`.
 * Writes bench/results/realtime-<ts>.json. Only 127.0.0.1; every loop bounded in count and time.
 *
 *   flock /tmp/connecto-bench.lock npm run bench:realtime
 *     BENCH_CLIENTS=10000 BENCH_WORKERS=4 BENCH_SECONDS=20 BENCH_LADDER=200,400,600,800,1000,1500
 *     BENCH_CONNECTS_PER_SECOND=500 BENCH_CONNECT_RETRIES=5 BENCH_TWO_NODES=true BENCH_MAX_MINUTES=25
 *     BENCH_BASELINE=true BENCH_BASELINE_MAX_MINUTES=5   the plain Socket.IO baseline, bounded in time
 *     BENCH_CPU_PROF=<dir>        CPU profiles of node 1: the connection ramp and the first phase
 *     BENCH_BACKLOG=511           reproduce the old listen backlog (default: LISTEN_BACKLOG, 4096)
 */
import { JwtService } from '@nestjs/jwt';
import { ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '../../src/modules/auth/token.service';
import { benchEnv, openBenchDb, percentile, round, stamp } from '../bench-db';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const PLANET_SIZE = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const LADDER = (process.env.BENCH_LADDER ?? '200,400,600,800,1000,1500').split(',').map(Number);
const CONNECTS_PER_SECOND = Number(process.env.BENCH_CONNECTS_PER_SECOND ?? 500);
const CONNECT_RETRIES = Number(process.env.BENCH_CONNECT_RETRIES ?? 5);
const DEADLINE = Date.now() + Number(process.env.BENCH_MAX_MINUTES ?? 25) * 60_000;
const BASE_PORT = Number(process.env.BENCH_PORT ?? 39100);
/** A directory: the first node's CPU profile of the first phase of each scenario is written there. */
const CPU_PROF = process.env.BENCH_CPU_PROF;
const BASELINE = process.env.BENCH_BASELINE !== 'false';
const BASELINE_MAX_MS = Number(process.env.BENCH_BASELINE_MAX_MINUTES ?? 5) * 60_000;
/** 'app': server.ts (the real app); 'plain': plain-server.ts (the Socket.IO baseline). Same workers, ramp and measurement. */
type Mode = 'app' | 'plain';
const SERVER_SCRIPT: Record<Mode, string> = { app: 'server.ts', plain: 'plain-server.ts' };
const execArgv = ['-r', 'ts-node/register/transpile-only'];

interface Client {
  userId: number;
  planetId: number;
  token: string;
  url: string;
}

function once<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type} from ${child.pid}`)), timeoutMs);
    const onMsg = (msg: { type: string }) => {
      if (msg.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMsg);
      resolve(msg as T);
    };
    child.on('message', onMsg);
  });
}

/** CPU seconds (user + system) used so far by the PostgreSQL backends serving the bench database and by redis-server. */
async function serviceCpu(database: string): Promise<{ postgres: number; redis: number }> {
  const ticks = Number(process.env.CLK_TCK ?? 100);
  const cpuOf = (pid: number): number => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      return 0;
    }
  };
  const { Client: PgClient } = await import('pg');
  const env = benchEnv(database);
  const pg = new PgClient({
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    user: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: env.DATABASE_NAME,
  });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      database,
    ]);
    let redis = 0;
    for (const dir of readdirSync('/proc')) {
      if (!/^\d+$/.test(dir)) continue;
      try {
        if (readFileSync(`/proc/${dir}/comm`, 'utf8').trim() === 'redis-server') redis += cpuOf(Number(dir));
      } catch {
        // gone
      }
    }
    return { postgres: rows.reduce((a, r) => a + cpuOf(r.pid), 0), redis };
  } finally {
    await pg.end();
  }
}

/** Machine-wide jiffies: [busy, total] from /proc/stat (all cores, every process — other jobs included). */
const machineCpu = (): [number, number] => {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return [total - v[3] - v[4], total];
};

interface ServerStats {
  statements: number;
  cpu: NodeJS.CpuUsage;
  sqlMs: { p50: number; p95: number; p99: number };
  loopDelayMs: { p50: number; p99: number; max: number };
  utilization: number;
  poolWaiting: { max: number; mean: number };
}

async function ask<T>(child: ChildProcess, msg: { type: string; file?: string }, reply: string): Promise<T> {
  const p = once<T>(child, reply, 30_000);
  child.send(msg);
  return p;
}

const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function startServer(mode: Mode, port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(__dirname, SERVER_SCRIPT[mode]), [], {
    execArgv,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await once(child, 'ready', 120_000);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.send({ type: 'stop' });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function seed(env: ReturnType<typeof benchEnv>): Promise<{ userId: number; planetId: number; email: string }[]> {
  const ds = await openBenchDb(env, 4);
  try {
    const marker = `bench-rt-${CLIENTS}`;
    let rows: { user_id: number; planet_id: number; email: string }[] = await ds.query(
      `SELECT pu.user_id, pu.planet_id, u.email FROM planet p JOIN travel t ON t.id = p.travel_id JOIN planet_user pu ON pu.planet_id = p.id JOIN "user" u ON u.id = pu.user_id
       WHERE t.title = $1 ORDER BY pu.user_id`,
      [marker],
    );
    if (rows.length !== CLIENTS) {
      console.log(`seeding ${CLIENTS} users in planets of ${PLANET_SIZE}…`);
      const users: { id: number; email: string }[] = await ds.query(
        `INSERT INTO "user" (email, password_hash) SELECT 'bench-rt-' || g || '-' || md5(random()::text) || '@example.com', 'x' FROM generate_series(1, $1) g RETURNING id, email`,
        [CLIENTS],
      );
      await ds.query(`INSERT INTO profile (user_id, nickname) SELECT u, '여행자' || u FROM unnest($1::int[]) u`, [users.map((u) => u.id)]);
      const [travel] = await ds.query(
        `INSERT INTO travel (title, visibility, participant_count, created_by_id) VALUES ($1, 'PUBLIC', $2, $3) RETURNING id`,
        [marker, CLIENTS, users[0].id],
      );
      const planets = Math.ceil(CLIENTS / PLANET_SIZE);
      const planetRows: { id: number }[] = await ds.query(
        `INSERT INTO planet (travel_id, name, created_by_id) SELECT $1, 'room ' || g, $2 FROM generate_series(1, $3) g RETURNING id`,
        [travel.id, users[0].id, planets],
      );
      const planetOf = users.map((_, i) => planetRows[Math.floor(i / PLANET_SIZE)].id);
      await ds.query(
        `INSERT INTO planet_user (planet_id, user_id, status) SELECT p, u, 'ACTIVE' FROM unnest($1::int[], $2::int[]) AS x(p, u)`,
        [planetOf, users.map((u) => u.id)],
      );
      rows = users.map((u, i) => ({ user_id: u.id, planet_id: planetOf[i], email: u.email }));
    }
    return rows.map((r) => ({ userId: r.user_id, planetId: r.planet_id, email: r.email }));
  } finally {
    await ds.destroy();
  }
}

interface ConnectReport {
  connected: number;
  failed: number;
  retried: number;
  attemptsFailed: number;
  retriesHistogram: Record<string, number>;
  perPlanet: Record<string, number>;
  ms: number;
  errors: string[];
}

const netCounters = (): Record<string, number> => {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const out: Record<string, number> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) {
    if (!lines[i].startsWith('TcpExt:')) continue;
    const names = lines[i].split(/\s+/);
    const values = lines[i + 1].split(/\s+/);
    names.forEach((n, j) => {
      if (/^(ListenOverflows|ListenDrops|TCPReqQFullDoCookies|TCPReqQFullDrop|TCPAbortOnData)$/.test(n)) out[n] = Number(values[j]);
    });
  }
  return out;
};

interface Collected {
  received: number;
  latencies: number[];
  ackLatencies: number[];
  sentPerPlanet: Record<string, number>;
  ackErrors: number;
  ackTimeouts: number;
  connected: number;
  errors: string[];
  cpuMs: number;
  loopDelayP99Ms: number;
}

async function scenario(
  database: string,
  name: string,
  ports: number[],
  serverEnv: Record<string, string>,
  members: { userId: number; planetId: number; email: string }[],
  rates: number[],
  targetP95: number,
  mode: Mode = 'app',
  deadline = DEADLINE,
) {
  console.log(`\n== ${name}: ${members.length} clients on ${ports.length} ${mode === 'plain' ? 'plain Socket.IO' : 'app'} node(s) ==`);
  const servers: ChildProcess[] = [];
  const workers: ChildProcess[] = [];
  const result: Record<string, unknown> = { name, mode, nodes: ports.length, clients: members.length, phases: [] as unknown[] };
  const profile = Boolean(CPU_PROF) && mode === 'app';
  try {
    for (const port of ports) servers.push(await startServer(mode, port, serverEnv));
    await new Promise((r) => setTimeout(r, 1000));
    const rssBefore = servers.map((s) => rssMb(s.pid as number));
    const jwt = new JwtService({ secret: serverEnv.JWT_ACCESS_SECRET, signOptions: { expiresIn: 3600, algorithm: 'HS256' } });
    const tokens = new TokenService(jwt);
    // Alternate nodes inside every planet, so with two nodes each message crosses Redis.
    const clients: Client[] = members.map((m, i) => ({
      userId: m.userId,
      planetId: m.planetId,
      token: mode === 'app' ? tokens.signAccess({ id: m.userId, email: m.email }) : '',
      url: `http://127.0.0.1:${ports[i % ports.length]}`,
    }));
    for (let w = 0; w < WORKERS; w++) {
      const child = fork(join(__dirname, 'worker.ts'), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.push(child);
      await once(child, 'ready', 60_000);
    }
    if (profile) await ask(servers[0], { type: 'profile-start' }, 'profiling');
    const netBefore = netCounters();
    const connectStatsBefore = await Promise.all(servers.map((s) => ask<ServerStats>(s, { type: 'stats' }, 'stats')));
    const shares = workers.map((_, w) => clients.filter((_, i) => i % WORKERS === w));
    const connectedMsgs = await Promise.all(
      workers.map((child, w) => {
        const p = once<ConnectReport>(child, 'connected', 600_000);
        child.send({
          type: 'connect',
          mode,
          clients: shares[w],
          perSecond: CONNECTS_PER_SECOND / WORKERS,
          timeoutMs: 20_000,
          retries: CONNECT_RETRIES,
        });
        return p;
      }),
    );
    await new Promise((r) => setTimeout(r, 2000));
    const connected = connectedMsgs.reduce((a, m) => a + m.connected, 0);
    const perPlanet: Record<string, number> = {};
    for (const m of connectedMsgs) for (const [p, n] of Object.entries(m.perPlanet)) perPlanet[p] = (perPlanet[p] ?? 0) + n;
    const rssAfter = servers.map((s) => rssMb(s.pid as number));
    const perConnKb = ((rssAfter.reduce((a, b) => a + b, 0) - rssBefore.reduce((a, b) => a + b, 0)) * 1024) / Math.max(1, connected);
    const netAfter = netCounters();
    if (profile && CPU_PROF) {
      mkdirSync(CPU_PROF, { recursive: true });
      result.connectProfile = join(CPU_PROF, `${name.replace(/\W/g, '')}-connect-${stamp()}.cpuprofile`);
      await ask(servers[0], { type: 'profile-stop', file: result.connectProfile as string }, 'profiled');
    }
    const connectStatsAfter = await Promise.all(servers.map((s) => ask<ServerStats>(s, { type: 'stats' }, 'stats')));
    const handshakeStatements = connectStatsAfter.reduce((a, x, i) => a + x.statements - connectStatsBefore[i].statements, 0);
    const handshakeCpuMs = connectStatsAfter.reduce(
      (a, x, i) => a + (x.cpu.user + x.cpu.system - connectStatsBefore[i].cpu.user - connectStatsBefore[i].cpu.system) / 1000,
      0,
    );
    const retriesHistogram: Record<string, number> = {};
    for (const m of connectedMsgs)
      for (const [k, n] of Object.entries(m.retriesHistogram)) retriesHistogram[k] = (retriesHistogram[k] ?? 0) + n;
    const clientsRetried = Object.entries(retriesHistogram).reduce((a, [k, n]) => a + (Number(k) > 0 ? n : 0), 0);
    Object.assign(result, {
      connected,
      connectsPerSecond: CONNECTS_PER_SECOND,
      connectRetriesAllowed: CONNECT_RETRIES,
      connectFailed: connectedMsgs.reduce((a, m) => a + m.failed, 0),
      connectAttemptsFailed: connectedMsgs.reduce((a, m) => a + m.attemptsFailed, 0),
      connectRetries: connectedMsgs.reduce((a, m) => a + m.retried, 0),
      clientsThatRetried: clientsRetried,
      retriesHistogram,
      sqlStatementsPerHandshake: round(handshakeStatements / Math.max(1, connected), 2),
      serverCpuMsPerHandshake: round(handshakeCpuMs / Math.max(1, connected), 2),
      serverEventLoopDelayDuringConnectMs: connectStatsAfter.map((x) => ({
        p99: round(x.loopDelayMs.p99, 1),
        max: round(x.loopDelayMs.max, 1),
      })),
      kernelDuringConnect: Object.fromEntries(Object.entries(netAfter).map(([k, v]) => [k, v - (netBefore[k] ?? 0)])),
      connectSeconds: round(Math.max(...connectedMsgs.map((m) => m.ms)) / 1000, 1),
      serverRssMbBefore: rssBefore.map((x) => round(x, 1)),
      serverRssMbConnected: rssAfter.map((x) => round(x, 1)),
      memoryPerConnectionKb: round(perConnKb, 1),
      connectErrors: connectedMsgs.flatMap((m) => m.errors).slice(0, 5),
    });
    console.log(
      `connected ${connected}/${members.length} in ${String(result.connectSeconds)} s at ${CONNECTS_PER_SECOND}/s (${String(result.sqlStatementsPerHandshake)} SQL and ${String(result.serverCpuMsPerHandshake)} ms server CPU per handshake; ${String(result.connectAttemptsFailed)} failed attempts, ${clientsRetried} clients retried, ${String(result.connectFailed)} gave up; kernel ${JSON.stringify(result.kernelDuringConnect)}; ${JSON.stringify(result.connectErrors)}); server RSS ${rssBefore.map((x) => round(x, 0)).join(',')} → ${rssAfter.map((x) => round(x, 0)).join(',')} MB (${round(perConnKb, 1)} KB/connection)`,
    );

    for (const rate of rates) {
      if (Date.now() > deadline) {
        console.log('deadline reached: stopping the ladder');
        break;
      }
      const phase = `${name.replace(/\W/g, '')}-${rate}`;
      const statsBefore = await Promise.all(servers.map((s) => ask<ServerStats>(s, { type: 'stats' }, 'stats')));
      const servicesBefore = await serviceCpu(database);
      const machineBefore = machineCpu();
      const profiling = profile && CPU_PROF && rate === rates[0];
      if (profiling) await ask(servers[0], { type: 'profile-start' }, 'profiling');
      await Promise.all(
        workers.map((child) => {
          const p = once(child, 'sent', (SECONDS + 30) * 1000);
          child.send({ type: 'send', rate: rate / WORKERS, seconds: SECONDS, phase });
          return p;
        }),
      );
      await new Promise((r) => setTimeout(r, 3000)); // grace for the last deliveries
      let profileFile: string | undefined;
      if (profiling) {
        mkdirSync(CPU_PROF, { recursive: true });
        profileFile = join(CPU_PROF, `${phase}-${stamp()}.cpuprofile`);
        await ask(servers[0], { type: 'profile-stop', file: profileFile }, 'profiled');
      }
      const statsAfter = await Promise.all(servers.map((s) => ask<ServerStats>(s, { type: 'stats' }, 'stats')));
      const servicesAfter = await serviceCpu(database);
      const machineAfter = machineCpu();
      const collected = await Promise.all(
        workers.map((child) => {
          const p = once<Collected>(child, 'collected', 60_000);
          child.send({ type: 'collect', phase });
          return p;
        }),
      );
      const lat = collected.flatMap((c) => c.latencies).sort((a, b) => a - b);
      const acks = collected.flatMap((c) => c.ackLatencies).sort((a, b) => a - b);
      const sentPerPlanet: Record<string, number> = {};
      for (const c of collected) for (const [p, n] of Object.entries(c.sentPerPlanet)) sentPerPlanet[p] = (sentPerPlanet[p] ?? 0) + n;
      const persisted = Object.values(sentPerPlanet).reduce((a, b) => a + b, 0);
      const expected = Object.entries(sentPerPlanet).reduce((a, [p, n]) => a + n * (perPlanet[p] ?? 0), 0);
      const received = collected.reduce((a, c) => a + c.received, 0);
      const statements = statsAfter.reduce((a, x, i) => a + x.statements - statsBefore[i].statements, 0);
      const cpuMs = statsAfter.reduce(
        (a, x, i) => a + (x.cpu.user + x.cpu.system - statsBefore[i].cpu.user - statsBefore[i].cpu.system) / 1000,
        0,
      );
      const row = {
        targetRate: rate,
        seconds: SECONDS,
        persisted,
        persistedPerSecond: round(persisted / SECONDS, 1),
        ackErrors: collected.reduce((a, c) => a + c.ackErrors, 0),
        ackTimeouts: collected.reduce((a, c) => a + c.ackTimeouts, 0),
        expectedDeliveries: expected,
        received,
        lost: Math.max(0, expected - received),
        deliveryMs: {
          p50: round(percentile(lat, 50), 1),
          p95: round(percentile(lat, 95), 1),
          p99: round(percentile(lat, 99), 1),
          max: round(lat[lat.length - 1] ?? NaN, 1),
        },
        ackMs: { p50: round(percentile(acks, 50), 1), p95: round(percentile(acks, 95), 1) },
        sqlStatementsPerMessage: round(statements / Math.max(1, persisted), 2),
        serverCpuMsPerMessage: round(cpuMs / Math.max(1, persisted), 2),
        serverCpuPercent: round((cpuMs / ((SECONDS + 3) * 1000)) * 100, 0),
        postgresCpuMsPerMessage: round(((servicesAfter.postgres - servicesBefore.postgres) * 1000) / Math.max(1, persisted), 2),
        postgresCpuPercent: round(((servicesAfter.postgres - servicesBefore.postgres) / (SECONDS + 3)) * 100, 0),
        machineCpuBusyPercent: round(((machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1])) * 100, 0),
        redisCpuPercent: round(((servicesAfter.redis - servicesBefore.redis) / (SECONDS + 3)) * 100, 0),
        // null on the plain baseline: it sends no SQL (its NaN arrives as null over IPC and would round to 0).
        serverSqlMs: statsAfter.map((x) =>
          mode === 'plain' ? null : { p50: round(x.sqlMs.p50, 1), p95: round(x.sqlMs.p95, 1), p99: round(x.sqlMs.p99, 1) },
        ),
        serverEventLoopUtilization: statsAfter.map((x) => round(x.utilization, 2)),
        serverPoolWaiting: statsAfter.map((x) => ({ max: x.poolWaiting.max, mean: round(x.poolWaiting.mean, 1) })),
        serverEventLoopDelayMs: statsAfter.map((x) => ({
          p50: round(x.loopDelayMs.p50, 1),
          p99: round(x.loopDelayMs.p99, 1),
          max: round(x.loopDelayMs.max, 1),
        })),
        workerCpuPercent: collected.map((c) => round((c.cpuMs / ((SECONDS + 3) * 1000)) * 100, 0)),
        workerEventLoopDelayP99Ms: collected.map((c) => round(c.loopDelayP99Ms, 1)),
        profile: profileFile,
        stillConnected: collected.reduce((a, c) => a + c.connected, 0),
        serverRssMb: servers.map((s) => (s.exitCode === null ? round(rssMb(s.pid as number), 1) : null)),
        errors: collected.flatMap((c) => c.errors).slice(0, 5),
        loadavg: loadavg().map((x) => round(x, 2)),
      };
      (result.phases as unknown[]).push(row);
      const ok = row.deliveryMs.p95 < targetP95 && row.lost === 0 && row.ackErrors + row.ackTimeouts === 0;
      console.log(
        `${rate} msg/s target → ${row.persistedPerSecond} persisted/s; delivery p50 ${row.deliveryMs.p50} p95 ${row.deliveryMs.p95} p99 ${row.deliveryMs.p99} ms; ack p95 ${row.ackMs.p95} ms; lost ${row.lost}/${expected}; ack errors ${row.ackErrors} timeouts ${row.ackTimeouts}; ${row.sqlStatementsPerMessage} SQL/msg, server CPU ${row.serverCpuMsPerMessage} ms/msg (${row.serverCpuPercent} %), PostgreSQL ${row.postgresCpuMsPerMessage} ms/msg (${row.postgresCpuPercent} %), Redis ${row.redisCpuPercent} %, machine ${row.machineCpuBusyPercent} % busy, SQL p95 ${row.serverSqlMs.map((x) => x?.p95 ?? '–').join('/')} ms, server loop delay p99 ${row.serverEventLoopDelayMs.map((x) => x.p99).join('/')} ms, ELU ${row.serverEventLoopUtilization.join('/')}, pool waiting max ${row.serverPoolWaiting.map((x) => x.max).join('/')}, workers CPU ${row.workerCpuPercent.join('/')} % loop p99 ${row.workerEventLoopDelayP99Ms.join('/')} ms, load ${row.loadavg[0]} ${ok ? 'OK' : 'BROKE'}`,
      );
      if (!ok) {
        result.brokeAt = {
          rate,
          why:
            row.deliveryMs.p95 >= targetP95
              ? `P95 ${row.deliveryMs.p95} ms ≥ ${targetP95} ms`
              : row.lost > 0
                ? `${row.lost} deliveries lost`
                : 'ack errors / timeouts',
        };
        break;
      }
      result.highestOkRate = rate;
    }
  } catch (err) {
    result.failure = (err as Error).message;
    console.error(`${name} failed: ${(err as Error).message}`);
  } finally {
    for (const w of workers) w.send({ type: 'close' });
    await new Promise((r) => setTimeout(r, 1000));
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    for (const s of servers) await stop(s);
  }
  return result;
}

interface PhaseRow {
  targetRate: number;
  persistedPerSecond: number;
  lost: number;
  expectedDeliveries: number;
  deliveryMs: { p50: number; p95: number; p99: number };
}

/** App (one node) vs plain Socket.IO at every rate both ran: latencies side by side, P95 ratio (app ÷ baseline), memory per connection. */
function compare(app: Record<string, unknown>, base: Record<string, unknown>) {
  if (!Array.isArray(base.phases)) return { skipped: base.skipped ?? base.failure ?? 'no baseline' };
  const basePhases = base.phases as PhaseRow[];
  const rows = (app.phases as PhaseRow[]).flatMap((a) => {
    const b = basePhases.find((x) => x.targetRate === a.targetRate);
    if (!b) return [];
    return [
      {
        rate: a.targetRate,
        app: { ...a.deliveryMs, msgPerSecond: a.persistedPerSecond, lost: a.lost, expected: a.expectedDeliveries },
        baseline: { ...b.deliveryMs, msgPerSecond: b.persistedPerSecond, lost: b.lost, expected: b.expectedDeliveries },
        p95Ratio: round(a.deliveryMs.p95 / b.deliveryMs.p95, 2),
      },
    ];
  });
  const appKb = app.memoryPerConnectionKb as number;
  const baseKb = base.memoryPerConnectionKb as number;
  const memory = { appKbPerConnection: appKb, baselineKbPerConnection: baseKb, ratio: round(appKb / baseKb, 2) };
  console.log(`\n== app (one node) vs plain Socket.IO baseline, same clients/planets/workers, ${SECONDS} s phases ==`);
  console.log('msg/s | app delivery P50 / P95 / P99 ms | baseline P50 / P95 / P99 ms | P95 app ÷ baseline | lost app / baseline');
  for (const r of rows) {
    console.log(
      `${r.rate} | ${r.app.p50} / ${r.app.p95} / ${r.app.p99} | ${r.baseline.p50} / ${r.baseline.p95} / ${r.baseline.p99} | ${r.p95Ratio}× | ${r.app.lost} / ${r.baseline.lost}`,
    );
  }
  console.log(
    `memory per connection: app ${appKb} KB, baseline ${baseKb} KB (${memory.ratio}×); connected app ${String(app.connected)}, baseline ${String(base.connected)}`,
  );
  return { rows, memory };
}

async function main(): Promise<void> {
  const database = process.env.BENCH_DATABASE ?? 'connecto_bench_realtime';
  const prefix = `bench:realtime:${process.pid}:`;
  const env = benchEnv(database, { REDIS_KEY_PREFIX: prefix });
  const members = await seed(env);
  const serverEnv: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    SWAGGER_ENABLED: 'false',
    DATABASE_NAME: database,
    DATABASE_MAX_CONNECTIONS: '20',
    DATABASE_MIN_CONNECTIONS: '2',
    REDIS_KEY_PREFIX: prefix,
    JWT_ACCESS_SECRET: env.JWT_ACCESS_SECRET,
    REFRESH_TOKEN_PEPPER: env.REFRESH_TOKEN_PEPPER,
    STORAGE_SIGNING_SECRET: env.STORAGE_SIGNING_SECRET,
    JWT_ACCESS_TTL_SECONDS: '3600',
  };
  const oneNode = await scenario(database, 'one node', [BASE_PORT], serverEnv, members, LADDER, 100);
  // Baseline: the same clients, planets, workers and measurement against plain Socket.IO, at 200
  // msg/s and at the highest rate the app ran (so every baseline figure has an app figure beside it).
  const appRates = (oneNode.phases as PhaseRow[]).map((p) => p.targetRate);
  const baselineRates = [...new Set([200, ...(appRates.length ? [Math.max(...appRates)] : [])])].sort((a, b) => a - b);
  let baseline: Record<string, unknown> = { skipped: 'BENCH_BASELINE=false' };
  if (BASELINE && Date.now() >= DEADLINE) baseline = { skipped: 'deadline' };
  else if (BASELINE) {
    const deadline = Math.min(DEADLINE, Date.now() + BASELINE_MAX_MS);
    baseline = await scenario(
      database,
      'plain socket.io baseline',
      [BASE_PORT + 3],
      serverEnv,
      members,
      baselineRates,
      100,
      'plain',
      deadline,
    );
  }
  const vsBaseline = compare(oneNode, baseline);
  const report = {
    name: 'realtime',
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      loadavgAtStart: loadavg(),
      note: '2 cores shared with other engineers running tests; clients, workers, app nodes, PostgreSQL and Redis all on this machine',
    },
    config: {
      clients: CLIENTS,
      workers: WORKERS,
      planetSize: PLANET_SIZE,
      secondsPerPhase: SECONDS,
      ladder: LADDER,
      baselineRates: BASELINE ? baselineRates : [],
    },
    oneNode,
    baseline,
    vsBaseline,
    twoNodes:
      Date.now() < DEADLINE && process.env.BENCH_TWO_NODES !== 'false'
        ? await scenario(database, 'two nodes', [BASE_PORT + 1, BASE_PORT + 2], serverEnv, members, [200], 150)
        : { skipped: 'deadline' },
  };
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  const file = join(__dirname, '..', 'results', `realtime-${stamp()}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nreport: ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
