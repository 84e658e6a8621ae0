import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BootError, HOW_TO_START } from '../../common/errors/boot.error';
import { createDataSource } from '../../config/database.config';
import { EnvironmentVariables } from '../../config/env';

/**
 * Creates and connects the app's DataSource. Creating it (not connecting it) is what binds every
 * Active Record entity's statics to it (TypeORM's BaseEntity.useDataSource), so the statics use the
 * DataSource created last in the process: one app per process (multi-node tests start processes).
 * The request bounds (acquire, statement and query timeouts) turn a dead or frozen database
 * into quick 503s instead of hanging requests.
 */
export async function openDataSource(env: EnvironmentVariables): Promise<DataSource> {
  const ds = createDataSource(env, { requestBounds: true, replicas: true });
  const where = `${env.DATABASE_HOST}:${env.DATABASE_PORT}`;
  try {
    await ds.initialize();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '3D000') {
      throw new BootError(
        `PostgreSQL at ${where} has no database "${env.DATABASE_NAME}": create it and the schema with \`npm run db:prepare\``,
      );
    }
    if (e.code === '28P01' || e.code === '28000') {
      throw new BootError(
        `PostgreSQL at ${where} refused user "${env.DATABASE_USER}": ${e.message}; check DATABASE_USER / DATABASE_PASSWORD`,
      );
    }
    throw new BootError(`PostgreSQL is not reachable at ${where} (${e.code ?? e.message ?? String(err)}): ${HOW_TO_START.postgres}`);
  }
  const pending = await ds.showMigrations().catch(() => false);
  if (pending) {
    new Logger('Database').warn('There are pending migrations: run `yarn typeorm migration:run`');
  }
  return ds;
}

@Global()
@Module({
  providers: [{ provide: DataSource, inject: [EnvironmentVariables], useFactory: openDataSource }],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
