import type { DataSource } from 'typeorm';

export interface StatementStat {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rows: number;
}

export type SlowQueryReport =
  | { available: true; database: string; slowest: StatementStat[]; mostFrequent: StatementStat[]; since: string | null }
  | { available: false; database: string; reason: string; howToEnable: string[] };

/** What to do, for a self-hosted server (docker-compose does it) and for managed PostgreSQL. */
export const HOW_TO_ENABLE = [
  "self-hosted: start PostgreSQL with `-c shared_preload_libraries=pg_stat_statements` (docker-compose.yml does) or set it in postgresql.conf, restart, then run `CREATE EXTENSION pg_stat_statements;` in the app's database",
  'Amazon RDS / Aurora: add pg_stat_statements to shared_preload_libraries in the parameter group (RDS preloads it by default), reboot, then CREATE EXTENSION pg_stat_statements',
  'Google Cloud SQL: the library is preloaded; run CREATE EXTENSION pg_stat_statements',
  'Azure Database for PostgreSQL: add pg_stat_statements to shared_preload_libraries (server parameters), restart, then CREATE EXTENSION pg_stat_statements',
];

const COLUMNS = `query, calls::float8 AS calls, total_exec_time AS "totalMs", mean_exec_time AS "meanMs", max_exec_time AS "maxMs", rows::float8 AS rows`;
/** This database's statements, without the report's own and without transaction control. */
const WHERE = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND query NOT ILIKE '%pg_stat_statements%' AND query !~* '^\\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE)'`;

interface Raw {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rows: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const toStat = (r: Raw): StatementStat => ({
  query: r.query,
  calls: Number(r.calls),
  totalMs: round(r.totalMs),
  meanMs: round(r.meanMs),
  maxMs: round(r.maxMs),
  rows: Number(r.rows),
});

/**
 * The slowest (by mean time) and the most frequent statements of the app's database, from
 * `pg_stat_statements`. When the extension is not loaded or not created, the answer says so and
 * how to enable it; it never throws for that.
 */
export async function slowQueryReport(dataSource: DataSource, limit = 10): Promise<SlowQueryReport> {
  const [{ database, preload }] = await dataSource.query<{ database: string; preload: string }[]>(
    `SELECT current_database() AS database, current_setting('shared_preload_libraries') AS preload`,
  );
  const preloaded = preload
    .split(',')
    .map((s) => s.trim().replace(/^"|"$/g, ''))
    .includes('pg_stat_statements');
  if (!preloaded) {
    return {
      available: false,
      database,
      reason: `pg_stat_statements is not in shared_preload_libraries on this server (it is "${preload}"), so PostgreSQL records no statement statistics`,
      howToEnable: HOW_TO_ENABLE,
    };
  }
  const created = await dataSource.query<unknown[]>(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`);
  if (created.length === 0) {
    return {
      available: false,
      database,
      reason: `pg_stat_statements is loaded but the extension is not created in database "${database}"`,
      howToEnable: [
        `run \`CREATE EXTENSION pg_stat_statements;\` in database "${database}" (as a superuser or the database owner)`,
        ...HOW_TO_ENABLE,
      ],
    };
  }
  const n = Math.max(1, Math.min(Math.trunc(limit), 100));
  const [slowest, mostFrequent, info] = await Promise.all([
    dataSource.query<Raw[]>(`SELECT ${COLUMNS} FROM pg_stat_statements WHERE ${WHERE} ORDER BY mean_exec_time DESC LIMIT $1`, [n]),
    dataSource.query<Raw[]>(`SELECT ${COLUMNS} FROM pg_stat_statements WHERE ${WHERE} ORDER BY calls DESC, total_exec_time DESC LIMIT $1`, [
      n,
    ]),
    dataSource.query<{ since: Date | null }[]>(`SELECT stats_reset AS since FROM pg_stat_statements_info`).catch(() => [{ since: null }]),
  ]);
  const since = info[0]?.since;
  return {
    available: true,
    database,
    slowest: slowest.map(toStat),
    mostFrequent: mostFrequent.map(toStat),
    since: since ? new Date(since).toISOString() : null,
  };
}
