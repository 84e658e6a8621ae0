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
    const opts = databaseOptions(validateEnv({ DATABASE_MAX_CONNECTIONS: '40', DATABASE_MIN_CONNECTIONS: '2', DATABASE_CONNECTION_TIMEOUT: '5000' }));
    expect(opts.extra).toMatchObject({ max: 40, min: 2, connectionTimeoutMillis: 5000 });
  });
});
