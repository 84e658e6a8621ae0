import { QueryFailedError } from 'typeorm';
import { toErrorBody } from '../../src/common/filters/all-exceptions.filter';
import { createDataSource } from '../../src/config/database.config';
import { databaseTrouble } from '../../src/infrastructure/database/database-errors';
import { freePort } from '../helpers/net';
import { createSuiteDatabase, dropDatabase, testEnv } from '../helpers/test-db';

/** The app DataSource's request bounds against the real (shared) PostgreSQL, and what a client gets. */
describe('database request bounds', () => {
  let database: string;

  beforeAll(async () => {
    database = await createSuiteDatabase('bounds');
  });
  afterAll(async () => {
    await dropDatabase(database);
  });

  const timed = async (work: () => Promise<unknown>) => {
    const started = Date.now();
    const err = await work().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { err, ms: Date.now() - started };
  };

  it('cancels a statement past DATABASE_STATEMENT_TIMEOUT and answers 503 with Retry-After', async () => {
    const ds = createDataSource(testEnv({ DATABASE_NAME: database, DATABASE_STATEMENT_TIMEOUT: '300', DATABASE_QUERY_TIMEOUT: '3000' }), {
      requestBounds: true,
    });
    await ds.initialize();
    try {
      const { err, ms } = await timed(() => ds.query('SELECT pg_sleep(3)'));
      expect(ms).toBeLessThan(2500);
      expect(err).toBeInstanceOf(QueryFailedError);
      expect(databaseTrouble(err)).toBe('timeout');
      expect(toErrorBody(err)).toMatchObject({ body: { statusCode: 503, error: 'Service Unavailable' }, retryAfter: 5, unexpected: false });
      // the connection survived the cancel
      expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await ds.destroy();
    }
  });

  it('fails a request that waits longer than DATABASE_ACQUIRE_TIMEOUT for a connection, and the pool goes on', async () => {
    const ds = createDataSource(testEnv({ DATABASE_NAME: database, DATABASE_ACQUIRE_TIMEOUT: '300' }), {
      requestBounds: true,
      max: 1,
      min: 0,
    });
    await ds.initialize();
    const holder = ds.createQueryRunner();
    try {
      await holder.connect(); // the only connection
      const { err, ms } = await timed(() => ds.query('SELECT 1'));
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(2000);
      expect(databaseTrouble(err)).toBe('busy');
      expect(toErrorBody(err).body).toMatchObject({ statusCode: 503, message: 'The database is overloaded: try again shortly' });
      await holder.release();
      // the abandoned wait handed the connection back instead of keeping it
      expect(await ds.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    } finally {
      if (!holder.isReleased) await holder.release();
      await ds.destroy();
    }
  });

  it('keeps no bound on DataSources built without requestBounds (CLI, migrations, seed)', async () => {
    const ds = createDataSource(testEnv({ DATABASE_NAME: database, DATABASE_STATEMENT_TIMEOUT: '100', DATABASE_QUERY_TIMEOUT: '200' }));
    await ds.initialize();
    try {
      expect(await ds.query('SELECT pg_sleep(0.4), 1 AS one')).toEqual([{ pg_sleep: '', one: 1 }]);
    } finally {
      await ds.destroy();
    }
  });

  it('classifies a refused connection as unreachable (503)', async () => {
    const ds = createDataSource(testEnv({ DATABASE_NAME: database, DATABASE_PORT: String(await freePort()) }), {
      requestBounds: true,
      max: 1,
      min: 0,
    });
    const { err } = await timed(() => ds.initialize());
    expect(databaseTrouble(err)).toBe('unreachable');
    expect(toErrorBody(err)).toMatchObject({
      body: { statusCode: 503, message: 'The database is unavailable: try again shortly' },
      retryAfter: 5,
    });
  });

  it('maps server-side trouble codes to 503 and leaves caller errors and bugs alone', () => {
    const failed = (code: string) => new QueryFailedError('SELECT 1', [], Object.assign(new Error('x'), { code }));
    for (const code of ['57P01', '57P03', '08006', '53300', '40P01', '57014'])
      expect([code, toErrorBody(failed(code)).body.statusCode]).toEqual([code, 503]);
    expect(toErrorBody(failed('23505')).body.statusCode).toBe(409);
    expect(toErrorBody(failed('42P01'))).toMatchObject({ body: { statusCode: 500 }, unexpected: true });
    expect(toErrorBody(new Error('Connection terminated unexpectedly')).body.statusCode).toBe(503);
    expect(toErrorBody(new Error('Query read timeout')).body.statusCode).toBe(503);
    expect(
      toErrorBody(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })])).body
        .statusCode,
    ).toBe(503);
    expect(toErrorBody(new TypeError('x is undefined'))).toMatchObject({ body: { statusCode: 500 }, unexpected: true });
  });
});
