import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Series } from './series';

const TIMED = Symbol('connecto.metrics.timedQueries');

/** Leading SQL keyword → `operation` label (a fixed set). */
const OPERATIONS: Record<string, string> = {
  SELECT: 'select',
  INSERT: 'insert',
  UPDATE: 'update',
  DELETE: 'delete',
  WITH: 'with',
  START: 'transaction',
  BEGIN: 'transaction',
  COMMIT: 'transaction',
  ROLLBACK: 'transaction',
  SAVEPOINT: 'transaction',
  RELEASE: 'transaction',
};
const LEADING_WORD = /^\s*([A-Za-z]+)/;

export function operationOf(sql: string): string {
  const word = LEADING_WORD.exec(sql)?.[1];
  return (word && OPERATIONS[word.toUpperCase()]) ?? 'other';
}

/** The pg Pool behind a TypeORM postgres DataSource (`driver.master`), if it is one. */
export function poolOf(dataSource: DataSource): Pool | undefined {
  const master = (dataSource.driver as unknown as { master?: Pool }).master;
  return master && typeof master.on === 'function' && typeof master.totalCount === 'number' ? master : undefined;
}

/**
 * Times every SQL statement of the pool, once per pg client: the first time a client is checked
 * out (the pool's `acquire` event) its `query` is wrapped. One `performance.now()` pair and one
 * histogram observation per statement; the pool wait is not included (see the pool gauges).
 * `onStatement` sees each statement's text first (the query-pattern recorder).
 * Returns what sets the pool gauges, to run at scrape time.
 */
export function instrumentPool(pool: Pool, series: Series, onStatement?: (sql: string) => void): () => void {
  pool.on('acquire', (client) => timeQueries(client, series.dbQueryDuration, onStatement));
  return () => {
    series.dbPoolConnections.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
    series.dbPoolConnections.set({ state: 'idle' }, pool.idleCount);
    series.dbPoolWaiting.set(pool.waitingCount);
    series.dbPoolMax.set(pool.options.max ?? 10);
  };
}

type QueryFn = (...args: unknown[]) => unknown;

function timeQueries(client: PoolClient, histogram: Series['dbQueryDuration'], onStatement?: (sql: string) => void): void {
  const tagged = client as PoolClient & { [TIMED]?: true };
  if (tagged[TIMED]) return;
  tagged[TIMED] = true;
  const query = client.query as unknown as QueryFn;
  (client as unknown as { query: QueryFn }).query = function timedQuery(this: unknown, ...args: unknown[]): unknown {
    const sql = args[0];
    // Callback and stream forms (and config objects) pass through untimed: TypeORM uses (text, values) → Promise.
    if (typeof sql !== 'string' || typeof args[args.length - 1] === 'function') return query.apply(this, args);
    onStatement?.(sql);
    const start = performance.now();
    const result = query.apply(this, args) as Promise<unknown>;
    const done = () => histogram.observe({ operation: operationOf(sql) }, (performance.now() - start) / 1000);
    result.then(done, done);
    return result;
  };
}
