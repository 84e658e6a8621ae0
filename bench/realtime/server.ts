/** One app node for bench/realtime: the real app (createApp) on PORT, reporting to the orchestrator over IPC. */
import { createApp } from '../../src/bootstrap';
import { validateEnv } from '../../src/config/env';

async function main(): Promise<void> {
  const env = validateEnv(process.env);
  const app = await createApp(env);
  await app.listen(env.PORT, '127.0.0.1');
  process.send?.({ type: 'ready', pid: process.pid });
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'stop') void app.close().then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error('bench server failed', err);
  process.exit(1);
});
