import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from '../common/database/snake-naming.strategy';
import { boundedPgDriver, DeadlineClient } from '../infrastructure/database/bounded-pg';
import { RefreshToken } from '../modules/auth/refresh-token.entity';
import { Media } from '../modules/media/media.entity';
import { MessageReadReceipt } from '../modules/message/message-read-receipt.entity';
import { Message } from '../modules/message/message.entity';
import { PlanetUser } from '../modules/planet/planet-user.entity';
import { Planet } from '../modules/planet/planet.entity';
import { TravelUser } from '../modules/travel/travel-user.entity';
import { Travel } from '../modules/travel/travel.entity';
import { Profile } from '../modules/user/profile.entity';
import { User } from '../modules/user/user.entity';
import { replicaUrls, type EnvironmentVariables } from './env';

export const ENTITIES = [User, Profile, Travel, TravelUser, Planet, PlanetUser, Message, MessageReadReceipt, Media, RefreshToken];

/** Migrations as compiled JS under dist/ or as TS sources (CLI through ts-node, jest). */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migration', '*.{ts,js}');

export type DatabaseEnv = Pick<
  EnvironmentVariables,
  | 'DATABASE_HOST'
  | 'DATABASE_PORT'
  | 'DATABASE_USER'
  | 'DATABASE_PASSWORD'
  | 'DATABASE_NAME'
  | 'DATABASE_MAX_CONNECTIONS'
  | 'DATABASE_MIN_CONNECTIONS'
  | 'DATABASE_CONNECTION_TIMEOUT'
  | 'DATABASE_ACQUIRE_TIMEOUT'
  | 'DATABASE_STATEMENT_TIMEOUT'
  | 'DATABASE_QUERY_TIMEOUT'
  | 'DATABASE_APPLICATION_NAME'
  | 'DATABASE_LOGGING'
> &
  Partial<Pick<EnvironmentVariables, 'DATABASE_REPLICA_URLS'>>;

export interface DatabaseOverrides {
  database: string;
  max: number;
  min: number;
  /**
   * Bound how long a request can be held by the database (the app's DataSource sets this):
   * DATABASE_ACQUIRE_TIMEOUT for getting a connection, DATABASE_STATEMENT_TIMEOUT on the server,
   * DATABASE_QUERY_TIMEOUT on the client. Off for the CLI, migrations, seeds and benchmark
   * loaders, whose statements may rightly run for minutes.
   */
  requestBounds: boolean;
  /**
   * Open pools to DATABASE_REPLICA_URLS too (TypeORM `replication`, defaultMode master: nothing
   * goes to a replica unless ReadReplicas routes it there). Only the app's DataSource does.
   */
  replicas: boolean;
}

/**
 * The one place the DataSource is described; the app, the TypeORM CLI (ormconfig.ts), tests and
 * benchmarks all build theirs here. Pool settings follow the seed: max 20, min 5, 30 s connection
 * timeout, 30 s idle timeout, and an application_name that shows in pg_stat_activity.
 */
export function databaseOptions(env: DatabaseEnv, overrides: Partial<DatabaseOverrides> = {}): DataSourceOptions {
  const bounds = overrides.requestBounds
    ? {
        driver: boundedPgDriver(env.DATABASE_ACQUIRE_TIMEOUT),
        extra: {
          Client: DeadlineClient,
          ...(env.DATABASE_STATEMENT_TIMEOUT > 0 ? { statement_timeout: env.DATABASE_STATEMENT_TIMEOUT } : {}),
          ...(env.DATABASE_QUERY_TIMEOUT > 0 ? { query_timeout: env.DATABASE_QUERY_TIMEOUT } : {}),
        },
      }
    : { driver: undefined, extra: {} };
  const replicas = overrides.replicas ? replicaUrls(env) : [];
  const primary = {
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    username: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: overrides.database ?? env.DATABASE_NAME,
  };
  return {
    type: 'postgres',
    host: env.DATABASE_HOST,
    port: env.DATABASE_PORT,
    username: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD || undefined,
    database: overrides.database ?? env.DATABASE_NAME,
    applicationName: env.DATABASE_APPLICATION_NAME,
    uuidExtension: 'pgcrypto',
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: env.DATABASE_LOGGING === 'true' ? ['query', 'error', 'warn'] : false,
    extra: {
      max: overrides.max ?? env.DATABASE_MAX_CONNECTIONS,
      min: overrides.min ?? env.DATABASE_MIN_CONNECTIONS,
      connectionTimeoutMillis: env.DATABASE_CONNECTION_TIMEOUT,
      idleTimeoutMillis: 30000,
      application_name: env.DATABASE_APPLICATION_NAME,
      ...bounds.extra,
    },
    ...(bounds.driver ? { driver: bounds.driver } : {}),
    // Every query goes to the primary (`master`) unless a query runner is asked for `slave`.
    ...(replicas.length
      ? { replication: { master: primary, slaves: replicas.map((url) => ({ url })), defaultMode: 'master' as const } }
      : {}),
  };
}

export function createDataSource(env: DatabaseEnv, overrides?: Parameters<typeof databaseOptions>[1]): DataSource {
  return new DataSource(databaseOptions(env, overrides));
}
