import { INestApplication, Logger } from '@nestjs/common';
import type { EnvironmentVariables } from '../../config/env';
import { LifecycleService } from './lifecycle.service';

/** Time the close hooks (read-receipt flush, socket server, DataSource, Redis) get after the drain. */
export const CLOSE_GRACE_MS = 5000;

/** The longest a node takes from the signal to its exit: past it, the process exits with code 1. */
export function shutdownBoundMs(env: Pick<EnvironmentVariables, 'SHUTDOWN_DELAY_MS' | 'SHUTDOWN_DRAIN_TIMEOUT_MS'>): number {
  return env.SHUTDOWN_DELAY_MS + env.SHUTDOWN_DRAIN_TIMEOUT_MS + CLOSE_GRACE_MS;
}

/**
 * SIGTERM / SIGINT: drain (LifecycleService.drain), then `app.close()` — whose hooks flush pending
 * read receipts (beforeApplicationShutdown) before the DataSource and Redis are closed
 * (onApplicationShutdown) — then exit 0. A second signal while stopping is ignored; a shutdown
 * that overruns shutdownBoundMs exits 1. Replaces Nest's enableShutdownHooks, which closes at once.
 */
export function installGracefulShutdown(app: INestApplication, env: EnvironmentVariables): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} received while shutting down: ignored`);
      return;
    }
    stopping = true;
    void shutdown(app, env, signal, logger);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function shutdown(app: INestApplication, env: EnvironmentVariables, signal: NodeJS.Signals, logger: Logger): Promise<void> {
  const started = Date.now();
  const bound = shutdownBoundMs(env);
  setTimeout(() => {
    logger.error(`shutdown overran ${bound} ms: exiting now`);
    process.exit(1);
  }, bound).unref();
  try {
    const report = await app.get(LifecycleService).drain({ delayMs: env.SHUTDOWN_DELAY_MS, timeoutMs: env.SHUTDOWN_DRAIN_TIMEOUT_MS });
    await app.close();
    logger.log(`stopped on ${signal} in ${Date.now() - started} ms (drained: ${report.drained})`);
    process.exit(0);
  } catch (err) {
    logger.error(`shutdown failed: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(1);
  }
}
