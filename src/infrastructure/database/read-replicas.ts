import {
  CallHandler,
  ExecutionContext,
  Global,
  Injectable,
  Logger,
  Module,
  NestInterceptor,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { from, mergeMap, Observable } from 'rxjs';
import type pg from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { EnvironmentVariables, replicaUrls } from '../../config/env';
import { RedisService } from '../redis/redis.service';
import { databaseTrouble } from './database-errors';

/** What the replica check keeps per replica (in the order of DATABASE_REPLICA_URLS). */
interface ReplicaState {
  /** Host:port, for logs. */
  name: string;
  /** Answered the last check. */
  up: boolean;
  /**
   * Start time of the latest check at which the replica had replayed the primary's WAL position
   * read at that start: every write committed before this instant is visible on the replica.
   */
  freshAt: number;
}

export type ReadTarget = 'replica' | 'primary';

/** The parts of TypeORM's PostgresDriver this uses (pools built from the `replication` option). */
interface ReplicatedDriver {
  master: pg.Pool;
  slaves: pg.Pool[];
  obtainSlaveConnection(): Promise<[unknown, unknown]>;
  obtainMasterConnection(): Promise<[unknown, unknown]>;
}

/**
 * Routes reads that tolerate lag to a streaming read replica (DATABASE_REPLICA_URLS, wired as
 * TypeORM `replication` with defaultMode `master`: everything else stays on the primary).
 *
 * The rule (README "PostgreSQL read replicas"):
 * - Writes, membership and access checks, and the change feed run on the primary, always.
 * - `read(userId, fn)` runs `fn` on a replica only if (a) that replica has replayed everything the
 *   primary had committed DATABASE_REPLICA_MAX_LAG_MS ago (checked every
 *   DATABASE_REPLICA_CHECK_INTERVAL_MS by comparing pg_current_wal_lsn() on the primary with
 *   pg_last_wal_replay_lsn() on the replica: no clocks involved), and (b) the caller has not
 *   written in the last DATABASE_REPLICA_MAX_LAG_MS + 1 s (`markWrite`, kept in Redis so it holds
 *   on every node): by (a) such a replica already has the caller's own writes. Otherwise, or when
 *   the replica fails (down, recovery conflict), `fn` runs on the primary.
 */
@Injectable()
export class ReadReplicas implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private readonly states: ReplicaState[];
  private timer?: NodeJS.Timeout;
  private checking = false;
  /** Reads served by each target since start (tests and metrics read it). */
  readonly served: Record<ReadTarget, number> = { replica: 0, primary: 0 };

  constructor(
    private readonly ds: DataSource,
    private readonly redis: RedisService,
    private readonly env: EnvironmentVariables,
  ) {
    this.states = replicaUrls(env).map((url) => {
      const u = new URL(url);
      return { name: `${u.hostname}:${u.port || 5432}`, up: false, freshAt: 0 };
    });
  }

  get enabled(): boolean {
    return this.states.length > 0 && !!this.driver?.slaves?.length;
  }

  private get driver(): ReplicatedDriver | undefined {
    return this.ds.isInitialized ? (this.ds.driver as unknown as ReplicatedDriver) : undefined;
  }

  /** How stale a write-window must be before a replica is trusted with the writer's reads. */
  get writeWindowMs(): number {
    return this.env.DATABASE_REPLICA_MAX_LAG_MS + 1000;
  }

  onModuleInit(): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the one app instance, for entity statics
    current = this;
    if (!this.enabled) return;
    const driver = this.driver as ReplicatedDriver;
    // TypeORM picks a slave at random; pick among the healthy ones (the primary if none is).
    driver.obtainSlaveConnection = () => {
      const healthy = this.healthyIndexes();
      if (!healthy.length) return driver.obtainMasterConnection();
      const pool = driver.slaves[healthy[Math.floor(Math.random() * healthy.length)]];
      return new Promise((ok, fail) => {
        pool.connect((err, client, release) => (err ? fail(err) : ok([client, release])));
      });
    };
    this.logger.log(
      `${this.states.length} read replica(s): ${this.states.map((s) => s.name).join(', ')}; max lag ${this.env.DATABASE_REPLICA_MAX_LAG_MS} ms`,
    );
    const tick = () => {
      void this.check().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.env.DATABASE_REPLICA_CHECK_INTERVAL_MS).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  onApplicationShutdown(): void {
    if (current === this) current = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private healthyIndexes(): number[] {
    const now = Date.now();
    const out: number[] = [];
    this.states.forEach((s, i) => {
      if (s.up && now - s.freshAt <= this.env.DATABASE_REPLICA_MAX_LAG_MS) out.push(i);
    });
    return out;
  }

  /** One round: the primary's WAL position, then whether each replica has replayed it. */
  async check(): Promise<void> {
    const driver = this.driver;
    if (!driver || this.checking) return;
    this.checking = true;
    try {
      const startedAt = Date.now();
      const bound = Math.max(1000, this.env.DATABASE_REPLICA_CHECK_INTERVAL_MS * 2);
      let lsn: string;
      try {
        lsn = (await withTimeout(driver.master.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'), bound)).rows[0].lsn;
      } catch {
        return; // the primary is the app's problem (readiness, 503s); keep the replicas' last state
      }
      await Promise.all(
        driver.slaves.map(async (pool, i) => {
          const state = this.states[i];
          if (!state) return;
          try {
            const { rows } = await withTimeout(
              pool.query<{ caught_up: boolean | null; standby: boolean }>(
                'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up',
                [lsn],
              ),
              bound,
            );
            // Not a standby (a promoted replica, or a URL of a primary): it has every write it will get.
            const caughtUp = rows[0].standby ? rows[0].caught_up === true : true;
            if (!state.up) this.logger.log(`replica ${state.name} answers`);
            state.up = true;
            if (caughtUp) state.freshAt = startedAt;
          } catch (err) {
            if (state.up) this.logger.warn(`replica ${state.name} failed its check (${(err as Error).message}): reads go elsewhere`);
            state.up = false;
          }
        }),
      );
    } finally {
      this.checking = false;
    }
  }

  /** Replica health for /health and tests: lag bound in force and how fresh each replica is. */
  status(): { name: string; up: boolean; stalenessMs: number | null; serving: boolean }[] {
    const healthy = new Set(this.healthyIndexes());
    return this.states.map((s, i) => ({
      name: s.name,
      up: s.up,
      stalenessMs: s.freshAt ? Date.now() - s.freshAt : null,
      serving: healthy.has(i),
    }));
  }

  /** Remembers (on every node, through Redis) that `userId` just wrote: their reads stay on the primary for writeWindowMs. */
  async markWrite(userId: number): Promise<void> {
    if (!this.enabled) return;
    await this.redis.client.set(`rw:${userId}`, '1', 'PX', this.writeWindowMs).catch(() => undefined);
  }

  private async wroteRecently(userId: number): Promise<boolean> {
    if (this.redis.client.status !== 'ready') return true; // cannot tell: the primary is always right
    return this.redis.client
      .exists(`rw:${userId}`)
      .then((n) => n > 0)
      .catch(() => true);
  }

  /** Where a lag-tolerant read of `userId` would go now. */
  async targetFor(userId: number | undefined): Promise<ReadTarget> {
    if (!this.enabled || this.healthyIndexes().length === 0) return 'primary';
    if (userId !== undefined && (await this.wroteRecently(userId))) return 'primary';
    return 'replica';
  }

  /**
   * Runs a lag-tolerant read: `fn(manager)` on a replica's connection when allowed, else
   * `fn(undefined)` (the entity statics then use the primary). A replica that fails with a
   * connection-level error is marked down and the read is repeated on the primary.
   */
  async read<T>(userId: number | undefined, fn: (manager?: EntityManager) => Promise<T>): Promise<T> {
    if ((await this.targetFor(userId)) === 'primary') {
      this.served.primary++;
      return fn(undefined);
    }
    const runner = this.ds.createQueryRunner('slave');
    try {
      try {
        await runner.connect();
      } catch (err) {
        return await this.fallback(err, fn);
      }
      try {
        const result = await fn(runner.manager);
        this.served.replica++;
        return result;
      } catch (err) {
        if (!databaseTrouble(err)) throw err;
        return await this.fallback(err, fn);
      }
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  private async fallback<T>(err: unknown, fn: (manager?: EntityManager) => Promise<T>): Promise<T> {
    this.logger.warn(`replica read failed (${(err as Error)?.message}): answered from the primary`);
    for (const s of this.states) s.freshAt = 0; // until the next check says otherwise
    this.served.primary++;
    return fn(undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}

let current: ReadReplicas | undefined;

/**
 * `ReadReplicas.read` for code outside Nest's injection (entity statics behind @CacheResult):
 * the app's instance, or the primary when there is none (CLI, seeds, tests without an app).
 */
export function lagTolerantRead<T>(userId: number | undefined, fn: (manager?: EntityManager) => Promise<T>): Promise<T> {
  return current ? current.read(userId, fn) : fn(undefined);
}

/**
 * Read-your-writes over HTTP: a successful POST/PUT/PATCH/DELETE by a signed-in user marks them as
 * a recent writer before the response leaves, so their next reads (on any node) use the primary.
 */
@Injectable()
export class WriteMarkInterceptor implements NestInterceptor {
  constructor(private readonly replicas: ReadReplicas) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.replicas.enabled || ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<{ method: string; user?: { id: number } }>();
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next.handle();
    return next.handle().pipe(
      mergeMap((value: unknown) => {
        const userId = req.user?.id;
        return userId === undefined ? [value] : from(this.replicas.markWrite(userId).then((): unknown => value));
      }),
    );
  }
}

@Global()
@Module({
  providers: [
    {
      provide: ReadReplicas,
      inject: [DataSource, RedisService, EnvironmentVariables],
      useFactory: (ds: DataSource, redis: RedisService, env: EnvironmentVariables) => new ReadReplicas(ds, redis, env),
    },
    { provide: APP_INTERCEPTOR, useClass: WriteMarkInterceptor },
  ],
  exports: [ReadReplicas],
})
export class ReadReplicasModule {}
