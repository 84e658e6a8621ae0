import 'reflect-metadata';
import { createApp, listenWithBacklog } from './bootstrap';
import { BootError } from './common/errors/boot.error';
import { ConfigError, validateEnv } from './config/env';
import { withDevSecrets } from './config/dev-secrets';
import { loadDotenv } from './config/load-dotenv';
import { installGracefulShutdown } from './infrastructure/lifecycle/graceful-shutdown';

/**
 * Backstop: a promise rejected without a handler (e.g. a library's fire-and-forget Redis command
 * while Redis is down) is logged as one structured line per distinct message, instead of Node's
 * default of ending the process and every socket with it.
 */
function logUnhandledRejections(): void {
  const seen = new Set<string>();
  process.on('unhandledRejection', (reason: unknown) => {
    const err = reason instanceof Error ? reason : undefined;
    const message = err ? `${err.name}: ${err.message}` : String(reason);
    if (seen.has(message)) return;
    if (seen.size >= 1000) seen.clear();
    seen.add(message);
    console.error(
      JSON.stringify({
        level: 'error',
        time: new Date().toISOString(),
        service: 'connecto-api',
        msg: 'unhandled promise rejection (process kept running)',
        reason: message,
        stack: err?.stack,
      }),
    );
  });
}

async function main(): Promise<void> {
  logUnhandledRejections();
  loadDotenv();
  const env = withDevSecrets(validateEnv(), (line) => console.log(`connecto: ${line}`));
  const app = await createApp(env);
  await listenWithBacklog(app, env.PORT, '0.0.0.0');
  installGracefulShutdown(app, env);
  console.log(`Connecto API listening on http://localhost:${env.PORT} (docs: http://localhost:${env.PORT}/docs)`);
}

main().catch((err: unknown) => {
  if (err instanceof BootError || err instanceof ConfigError) {
    console.error(`connecto: ${err.message}`);
  } else {
    console.error('connecto: failed to start:', err);
  }
  process.exit(1);
});
