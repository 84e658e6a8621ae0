import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { MEDIA_QUEUE } from '../../src/infrastructure/queue/queue.module';
import { createUser, UserFixture } from '../factories/user.factory';
import { png } from '../fixtures/media/images';
import { AppProcess, startAppProcess } from '../helpers/app-process';
import { createSuiteDatabase, dropDatabase } from '../helpers/test-db';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Media jobs across nodes: the API node here queues (its worker is off); worker nodes are separate
 * OS processes on the same Redis and database, as in production.
 */
describe('media jobs: retries, a node killed mid-job, attempts running out', () => {
  let database: string;
  let dir: string;
  let api: TestApp;
  let alice: UserFixture;
  const workers: AppProcess[] = [];

  const workerEnv = () => ({ STORAGE_LOCAL_DIR: dir, MEDIA_WORKER_ENABLED: 'true', MEDIA_JOB_LOCK_SECONDS: '3', LOG_LEVEL: 'warn' });
  const startWorker = async () => {
    const w = await startAppProcess({ database, env: workerEnv() });
    workers.push(w);
    return w;
  };
  const queue = () => api.app.get<Queue>(getQueueToken(MEDIA_QUEUE));
  const row = async (id: number): Promise<{ status: string; failure_reason: string | null; storage_key: string }> =>
    (await api.app.get(DataSource).query('SELECT status, failure_reason, storage_key FROM media WHERE id = $1', [id]))[0];

  async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function uploadAndComplete(bytes: Buffer, mimeType: string, fileName: string): Promise<number> {
    const s = (
      await api.http
        .post('/api/v1/media/uploads')
        .set(alice.auth)
        .send({ kind: 'image', fileName, mimeType, size: bytes.length })
        .expect(201)
    ).body;
    expect((await fetch(s.uploadUrl, { method: 'PUT', headers: s.headers, body: bytes })).status).toBe(200);
    await api.http.post(`/api/v1/media/${s.mediaId}/complete`).set(alice.auth).expect(202);
    return s.mediaId as number;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connecto-media-worker-'));
    database = await createSuiteDatabase('mediaworker');
    api = await startTestApp({ database, env: { STORAGE_LOCAL_DIR: dir, MEDIA_WORKER_ENABLED: 'false', MEDIA_JOB_ATTEMPTS: '3' } });
    alice = await createUser(api.env);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop('SIGKILL').catch(() => undefined);
    await api?.close();
    await dropDatabase(database);
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a job queued while no node works, retries a failed attempt with backoff, and ends READY', async () => {
    const id = await uploadAndComplete(await png(400, 300), 'image/png', 'retry.png');
    const original = join(dir, (await row(id)).storage_key);
    await rename(original, `${original}.away`);
    expect((await row(id)).status).toBe('UPLOADED');
    expect(await (await queue().getJob(`media-${id}`))?.getState()).toBe('waiting');

    await startWorker();
    await until('a failed first attempt', async () => ((await queue().getJob(`media-${id}`))?.attemptsMade ?? 0) >= 1);
    expect((await row(id)).status).toBe('PROCESSING');
    await rename(`${original}.away`, original);
    await until('READY', async () => (await row(id)).status === 'READY');
    await until('the job completed', async () => (await (await queue().getJob(`media-${id}`))?.getState()) === 'completed');
    const job = await queue().getJob(`media-${id}`);
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
  });

  it('finishes on another node the job of a node killed mid-job', async () => {
    const [first] = workers;
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 90, g: 140, b: 210 } } })
      .composite([
        {
          input: await sharp({
            create: {
              width: 3000,
              height: 2000,
              channels: 3,
              background: { r: 0, g: 0, b: 0 },
              noise: { type: 'gaussian', mean: 128, sigma: 40 },
            },
          })
            .png()
            .toBuffer(),
          top: 0,
          left: 0,
        },
      ])
      .jpeg({ quality: 85 })
      .toBuffer();
    expect(big.length).toBeLessThan(10 * 1024 * 1024);
    const id = await uploadAndComplete(big, 'image/jpeg', 'big.jpg');
    await until('the first node taking the job', async () => (await row(id)).status === 'PROCESSING', 20000);
    expect((await row(id)).status).toBe('PROCESSING');
    const killed = await first.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect((await row(id)).status).toBe('PROCESSING');

    await startWorker();
    await until('READY on the second node', async () => (await row(id)).status === 'READY', 60000);
    const job = await queue().getJob(`media-${id}`);
    await until('the job completed', async () => (await job?.getState()) === 'completed').catch(async (err: Error) => {
      const fresh = await queue().getJob(`media-${id}`);
      throw new Error(
        `${err.message}: state ${await fresh?.getState()}, ${fresh?.failedReason}, attempts ${fresh?.attemptsMade}, stalled ${fresh?.stalledCounter}\n${workers.map((w) => w.output()).join('\n')}`,
      );
    });
  });

  it('marks the media FAILED with a readable reason when every attempt fails', async () => {
    for (const w of workers) await w.stop();
    const id = await uploadAndComplete(await png(50, 50), 'image/png', 'gone.png');
    await rm(join(dir, (await row(id)).storage_key));
    await startWorker();
    const failed = await until('FAILED', async () => {
      const r = await row(id);
      return r.status === 'FAILED' && r;
    });
    expect(failed.failure_reason).toBe('processing failed after 3 attempts (the stored file is missing)');
    const res = await api.http.get(`/api/v1/media/${id}`).set(alice.auth).expect(200);
    expect(res.body).toMatchObject({ status: 'FAILED', failureReason: failed.failure_reason, urls: {} });
  });
});
