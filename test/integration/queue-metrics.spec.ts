import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { cloudflareOutcomeOf } from '../../src/infrastructure/metrics/metrics.service';
import { queueDepthHook, trackWorker } from '../../src/infrastructure/metrics/queue-metrics';
import { createSeries } from '../../src/infrastructure/metrics/series';
import { parsePrometheus, sum } from '../helpers/prometheus';
import { testEnv } from '../helpers/test-db';

describe('job queue and Cloudflare series', () => {
  const env = testEnv();
  const connection = { host: env.REDIS_HOST, port: env.REDIS_PORT, maxRetriesPerRequest: null };
  const prefix = `test:queue-metrics:${randomBytes(4).toString('hex')}`;
  const name = 'metrics-test';
  let queue: Queue;
  let worker: Worker | undefined;

  beforeAll(() => {
    queue = new Queue(name, { connection, prefix });
  });
  afterAll(async () => {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  });

  it('counts completed jobs, every failed attempt, and the attempts BullMQ retries, on a real worker', async () => {
    const registry = new Registry();
    const series = createSeries(registry);
    const seen = new Map<string, number>();
    let finished = 0;
    const allDone = new Promise<void>((resolve) => {
      worker = new Worker(
        name,
        async (job) => {
          const n = (seen.get(job.id!) ?? 0) + 1;
          seen.set(job.id!, n);
          if (job.name === 'flaky' && n === 1) throw new Error('first attempt fails');
          if (job.name === 'doomed') throw new Error('always fails');
          if (job.name === 'unrecoverable') throw new UnrecoverableError('no point retrying');
          return 'ok';
        },
        { connection, prefix },
      );
      trackWorker(worker, series);
      const end = () => ++finished === 4 && resolve();
      worker.on('completed', end);
      worker.on('failed', (job) => {
        if (job && (job.attemptsMade >= (job.opts.attempts ?? 1) || job.name === 'unrecoverable')) end();
      });
    });
    await queue.add('ok', {}, { attempts: 3 });
    await queue.add('flaky', {}, { attempts: 3 }); // fails once, retried, completes
    await queue.add('doomed', {}, { attempts: 2 }); // fails twice: one retry, then final
    await queue.add('unrecoverable', {}, { attempts: 3 }); // fails once, never retried
    await allDone;

    const samples = parsePrometheus(await registry.metrics());
    expect(sum(samples, 'connecto_jobs_completed_total', { queue: name })).toBe(2);
    expect(sum(samples, 'connecto_job_failures_total', { queue: name })).toBe(4);
    expect(sum(samples, 'connecto_job_retries_total', { queue: name })).toBe(2);
  });

  it('reads the queue depth by state at scrape time', async () => {
    await worker?.close();
    worker = undefined;
    const registry = new Registry();
    const series = createSeries(registry);
    await queue.add('later', {}, { delay: 60_000 });
    await queue.add('later', {}, { delay: 60_000 });
    await queue.add('now', {});
    await queueDepthHook(queue, series)();
    const samples = parsePrometheus(await registry.metrics());
    expect(sum(samples, 'connecto_jobs_queued', { queue: name, state: 'delayed' })).toBe(2);
    expect(sum(samples, 'connecto_jobs_queued', { queue: name, state: 'waiting' })).toBe(1);
    expect(sum(samples, 'connecto_jobs_queued', { queue: name, state: 'failed' })).toBe(2);
  });

  it('names a Cloudflare outcome from the status or the error, from a fixed set', () => {
    expect([200, 204, 400, 404, 429, 500, 503].map((s) => cloudflareOutcomeOf(s))).toEqual([
      'ok',
      'ok',
      'client_error',
      'client_error',
      'rate_limited',
      'server_error',
      'server_error',
    ]);
    expect(cloudflareOutcomeOf(undefined, Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(cloudflareOutcomeOf(undefined, Object.assign(new Error('c'), { code: 'ECONNRESET' }))).toBe('network_error');
  });
});
