import pg from 'pg';

/** Error code of a request that gave up waiting for a pooled connection (see DATABASE_ACQUIRE_TIMEOUT). */
export const ACQUIRE_TIMEOUT_CODE = 'CONNECTO_DB_ACQUIRE_TIMEOUT';

/** node-postgres' message when `query_timeout` passes without an answer from the server. */
export const QUERY_READ_TIMEOUT_MESSAGE = 'Query read timeout';

type Callback = (err: Error | undefined, client?: pg.PoolClient, release?: (err?: Error | boolean) => void) => void;

/**
 * A pg Client that drops its connection when a query got no answer within `query_timeout`.
 * node-postgres only fails the query and keeps the connection, still busy with the unanswered
 * query: handed back to the pool, every later query on it would wait behind it (a frozen server
 * never answers). Marked as ending, the pool discards it on release and opens a fresh one.
 */
export class DeadlineClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        if (isReadTimeout(err)) this.abandon();
        (last as (e: unknown, r: unknown) => void)(err, res);
      };
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if (isReadTimeout(err)) this.abandon();
      });
    }
    return result as never;
  }

  private abandon(): void {
    const self = this as unknown as { _ending: boolean; connection?: { stream?: { destroy(): void } } };
    // `_ending` (read by pg-pool on release) also keeps pg from emitting an 'error' for the close.
    self._ending = true;
    self.connection?.stream?.destroy();
  }
}

function isReadTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === QUERY_READ_TIMEOUT_MESSAGE;
}

/**
 * The pool with a bound on how long one caller waits for a connection. pg-pool's own
 * `connectionTimeoutMillis` (DATABASE_CONNECTION_TIMEOUT, 30 s) is kept for what the pool does in
 * the background: opening a connection may take that long and, when it succeeds after the caller
 * gave up, the connection still joins the pool. The caller itself fails after `acquireTimeoutMillis`
 * with ACQUIRE_TIMEOUT_CODE (answered 503), whether the pool was exhausted or the server slow to accept.
 */
export function boundedPool(acquireTimeoutMillis: number): typeof pg.Pool {
  return class BoundedPool extends pg.Pool {
    override connect(): Promise<pg.PoolClient>;
    override connect(callback: Callback): void;
    override connect(callback?: Callback): Promise<pg.PoolClient> | void {
      if (!callback) {
        return new Promise<pg.PoolClient>((resolve, reject) =>
          this.connect((err, client) => (err ? reject(err) : resolve(client as pg.PoolClient))),
        );
      }
      if (!acquireTimeoutMillis) return super.connect(callback as never);
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        const err = new Error(`No database connection within ${acquireTimeoutMillis} ms`) as Error & { code: string };
        err.code = ACQUIRE_TIMEOUT_CODE;
        callback(err);
      }, acquireTimeoutMillis);
      timer.unref();
      super.connect((err: Error | undefined, client?: pg.PoolClient, release?: (e?: Error | boolean) => void) => {
        clearTimeout(timer);
        if (settled) {
          // The caller is gone: hand the connection straight back (to the next waiter or the idle list).
          if (!err) release?.();
          return;
        }
        settled = true;
        callback(err, client, release);
      });
    }
  };
}

/** The `pg` module as TypeORM's `driver` option, with the bounded pool. */
export function boundedPgDriver(acquireTimeoutMillis: number): typeof pg {
  return { ...pg, Pool: boundedPool(acquireTimeoutMillis) };
}
