import type { Job, Queue, Worker } from 'bullmq';
import type { Series } from './series';

/** The queue states `connecto_jobs_queued` reports (read with one getJobCounts per scrape). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * Scrape hook: the job counts of `queue` by state. These are the queue's (in Redis), the same on
 * every instance: aggregate with `max by (queue, state)`, not `sum`.
 */
export function queueDepthHook(queue: Queue, series: Series): () => Promise<void> {
  return async () => {
    const counts = await queue.getJobCounts(...QUEUE_STATES);
    for (const state of QUEUE_STATES) series.jobsQueued.set({ queue: queue.name, state }, counts[state] ?? 0);
  };
}

/**
 * Counts what a worker of this instance did: completed jobs, failed attempts, and of those the
 * ones BullMQ will retry (attempts left and not an UnrecoverableError). Per instance: `sum` them.
 */
export function trackWorker(worker: Worker, series: Series): void {
  const queue = worker.name;
  worker.on('completed', () => series.jobsCompleted.inc({ queue }));
  worker.on('failed', (job: Job | undefined, err: Error) => {
    series.jobFailures.inc({ queue });
    if (job && willRetry(job, err)) series.jobRetries.inc({ queue });
  });
}

/** In the worker's `failed` event `attemptsMade` already counts the attempt that failed. */
function willRetry(job: Job, err: Error): boolean {
  if (err?.name === 'UnrecoverableError') return false;
  return job.attemptsMade < (job.opts.attempts ?? 1);
}
