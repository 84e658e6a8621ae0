import { databaseOptions } from './database.config';
import { validateEnv } from './env';

describe('databaseOptions', () => {
  it('sets the pool as the seed describes', () => {
    const opts = databaseOptions(validateEnv({}));
    expect(opts).toMatchObject({
      type: 'postgres',
      synchronize: false,
      applicationName: 'connecto-api',
      extra: { max: 20, min: 5, connectionTimeoutMillis: 30000, idleTimeoutMillis: 30000, application_name: 'connecto-api' },
    });
  });

  it('takes the pool sizes and timeout from the environment', () => {
    const opts = databaseOptions(
      validateEnv({ DATABASE_MAX_CONNECTIONS: '40', DATABASE_MIN_CONNECTIONS: '2', DATABASE_CONNECTION_TIMEOUT: '5000' }),
    );
    expect(opts.extra).toMatchObject({ max: 40, min: 2, connectionTimeoutMillis: 5000 });
  });

  it('bounds the app DataSource only: acquire timeout in the pool, statement and query timeouts per session', () => {
    const env = validateEnv({ DATABASE_ACQUIRE_TIMEOUT: '2000', DATABASE_STATEMENT_TIMEOUT: '4000', DATABASE_QUERY_TIMEOUT: '5000' });
    const app = databaseOptions(env, { requestBounds: true });
    expect(app.extra).toMatchObject({
      max: 20,
      min: 5,
      connectionTimeoutMillis: 30000,
      idleTimeoutMillis: 30000,
      statement_timeout: 4000,
      query_timeout: 5000,
    });
    expect((app as { driver?: { Pool?: unknown } }).driver?.Pool).toEqual(expect.any(Function));
    const cli = databaseOptions(env);
    expect(cli.extra).not.toHaveProperty('statement_timeout');
    expect(cli.extra).not.toHaveProperty('query_timeout');
    expect(cli).not.toHaveProperty('driver');
  });

  it('refuses a query timeout that would fire before the statement timeout', () => {
    expect(() => validateEnv({ DATABASE_STATEMENT_TIMEOUT: '5000', DATABASE_QUERY_TIMEOUT: '5000' })).toThrow(
      /DATABASE_QUERY_TIMEOUT \(5000\) must exceed DATABASE_STATEMENT_TIMEOUT/,
    );
    expect(() => validateEnv({ DATABASE_STATEMENT_TIMEOUT: '0', DATABASE_QUERY_TIMEOUT: '1000' })).not.toThrow();
  });

  it('adds DATABASE_REPLICA_URLS as TypeORM replication slaves for the app only, with reads on the primary by default', () => {
    const env = validateEnv({
      DATABASE_PORT: '5433',
      DATABASE_REPLICA_URLS: 'postgres://u@r1:5432/connecto, postgres://u@r2:5432/connecto',
    });
    const app = databaseOptions(env, { requestBounds: true, replicas: true }) as {
      replication?: { master: object; slaves: object[]; defaultMode: string };
    };
    expect(app.replication).toEqual({
      master: { host: '127.0.0.1', port: 5433, username: 'postgres', password: undefined, database: 'connecto' },
      slaves: [{ url: 'postgres://u@r1:5432/connecto' }, { url: 'postgres://u@r2:5432/connecto' }],
      defaultMode: 'master',
    });
    expect(databaseOptions(env)).not.toHaveProperty('replication');
    expect(databaseOptions(validateEnv({}), { replicas: true })).not.toHaveProperty('replication');
    expect(() => validateEnv({ DATABASE_REPLICA_URLS: 'r1:5432' })).toThrow(/DATABASE_REPLICA_URLS/);
  });
});
