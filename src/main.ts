import 'reflect-metadata';
import { createApp, listenWithBacklog } from './bootstrap';
import { BootError } from './common/errors/boot.error';
import { ConfigError, validateEnv } from './config/env';
import { loadDotenv } from './config/load-dotenv';

async function main(): Promise<void> {
  loadDotenv();
  const env = validateEnv();
  const app = await createApp(env);
  await listenWithBacklog(app, env.PORT, '0.0.0.0');
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
