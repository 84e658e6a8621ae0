/**
 * Media benchmark (issue #9), each part against a baseline from the same run:
 *  1. uploads: BENCH_UPLOADS (20) concurrent BENCH_UPLOAD_MB (50) MB PUTs through the local driver
 *     (bytes through the API process) and through s3rver (presigned, bytes never touch the API):
 *     throughput, and the API process's peak RSS growth over the same process idle for as long
 *     just before. Target: RSS grows by less than 50 MB.
 *  2. variants: thumbnail + preview + full of a 12 MP JPEG with one libvips thread (as the worker
 *     runs), images per second per core; baseline: decoding the same JPEG alone.
 *  3. chat during a photo burst: GET/POST message latency with BENCH_BURST (200) photo uploads
 *     being announced, PUT, completed and processed (MEDIA_WORKER_CONCURRENCY=1), against the same
 *     chat load with no uploads just before. Target: chat P95 within 1.5× of the run without.
 *
 *   npm run bench:media
 *
 * Writes bench/results/media-<time>.json.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import sharp from 'sharp';
import { makeImageVariants } from '../../src/modules/media/processing/image-variants';
import { startS3rver } from '../../test/helpers/s3rver';
import { benchEnv, openBenchDb, percentile, round, stamp } from '../bench-db';

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 20);
const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 50);
const VARIANT_RUNS = Number(process.env.BENCH_VARIANT_RUNS ?? 6);
const BURST = Number(process.env.BENCH_BURST ?? 200);
const CHAT_SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 20);
const CHAT_CONCURRENCY = Number(process.env.BENCH_CHAT_CONCURRENCY ?? 4);
const BURST_PHOTO = (process.env.BENCH_BURST_PHOTO ?? '4000x3000').split('x').map(Number);
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3493);
const root = join(__dirname, '..', '..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, median: round(percentile(s, 50), 2), p95: round(percentile(s, 95), 2), p99: round(percentile(s, 99), 2) };
}

function startApp(env: Record<string, string>, port: number): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent', RATE_LIMIT_ENABLED: 'false', METRICS_ENABLED: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(200);
  }
  throw new Error(`app at ${url} did not become ready`);
}
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timer);
}
async function register(url: string): Promise<Record<string, string>> {
  const email = `bench-media-${randomBytes(6).toString('hex')}@example.com`;
  const res = (await (
    await fetch(`${url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'connecto123!', nickname: '벤치' }),
    })
  ).json()) as { accessToken: string };
  return { Authorization: `Bearer ${res.accessToken}`, 'Content-Type': 'application/json' };
}
async function announceAndPut(
  url: string,
  auth: Record<string, string>,
  body: Buffer,
  kind: string,
  mimeType: string,
  fileName: string,
): Promise<number> {
  const s = (await (
    await fetch(`${url}/api/v1/media/uploads`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind, fileName, mimeType, size: body.length }),
    })
  ).json()) as { mediaId: number; uploadUrl: string; headers: Record<string, string> };
  const put = await fetch(s.uploadUrl, { method: 'PUT', headers: s.headers, body });
  if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
  return s.mediaId;
}

/** Samples the process's RSS every 50 ms while `work` runs (or for `idleMs`). */
async function peakRss(pid: number, work: () => Promise<unknown>): Promise<{ peakMb: number; startMb: number }> {
  const startMb = rssMb(pid);
  let peakMb = startMb;
  const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 50);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { peakMb: round(Math.max(peakMb, rssMb(pid)), 1), startMb: round(startMb, 1) };
}

async function uploadsPart(env: Record<string, string>, driver: 'local' | 's3', port: number) {
  const dir = await mkdtemp(join(tmpdir(), 'connecto-bench-media-'));
  const s3 = driver === 's3' ? await startS3rver() : undefined;
  const app = startApp({ ...env, STORAGE_LOCAL_DIR: dir, MEDIA_WORKER_ENABLED: 'false', ...(s3?.env ?? {}) }, port);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url);
    const auth = await register(url);
    const body = randomBytes(UPLOAD_MB * 1_000_000);
    Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')]).copy(body, 0);
    // Warm-up: one upload, so lazy modules and buffers are in place on both sides of the comparison.
    await announceAndPut(url, auth, body, 'video', 'video/mp4', 'warm.mp4');
    await sleep(1000);
    let seconds = 0;
    const upload = await peakRss(app.pid as number, async () => {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: UPLOADS }, (_, i) => announceAndPut(url, auth, body, 'video', 'video/mp4', `v${i}.mp4`)));
      seconds = (performance.now() - t0) / 1000;
    });
    // Baseline: a fresh process of the same build, warmed up by one upload as well, idle for as long as the uploads took
    // (RSS seldom falls after a burst, so the same process could not serve as its own baseline afterwards).
    await stop(app);
    const idleApp = startApp({ ...env, STORAGE_LOCAL_DIR: dir, MEDIA_WORKER_ENABLED: 'false', ...(s3?.env ?? {}) }, port + 1);
    const idleUrl = `http://127.0.0.1:${port + 1}`;
    await waitReady(idleUrl);
    const idleAuth = await register(idleUrl);
    await announceAndPut(idleUrl, idleAuth, body, 'video', 'video/mp4', 'warm.mp4');
    await sleep(1000);
    const idle = await peakRss(idleApp.pid as number, () => sleep(seconds * 1000));
    await stop(idleApp);
    const mb = (UPLOADS * UPLOAD_MB * 1_000_000) / 1e6;
    return {
      driver,
      uploads: UPLOADS,
      uploadMb: UPLOAD_MB,
      seconds: round(seconds, 2),
      throughputMBps: round(mb / seconds, 1),
      rssPeakMb: { withUploads: upload.peakMb, withoutUploads: idle.peakMb },
      rssGrowthMb: round(upload.peakMb - idle.peakMb, 1),
      targetRssGrowthMb: 50,
    };
  } finally {
    await stop(app);
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function photo(width: number, height: number): Promise<Buffer> {
  // Noise, so the JPEG is photo-sized (a flat colour compresses to nothing).
  const noise = await sharp(randomBytes(Math.floor(width / 8) * Math.floor(height / 8) * 3), {
    raw: { width: Math.floor(width / 8), height: Math.floor(height / 8), channels: 3 },
  })
    .resize(width, height, { kernel: 'cubic' })
    .jpeg({ quality: 88 })
    .toBuffer();
  return noise;
}

async function variantsPart() {
  sharp.concurrency(1);
  const jpeg = await photo(4000, 3000);
  const decode: number[] = [];
  const variants: number[] = [];
  await makeImageVariants(jpeg);
  for (let i = 0; i < VARIANT_RUNS; i++) {
    let t0 = performance.now();
    await sharp(jpeg).raw().toBuffer();
    decode.push(performance.now() - t0);
    t0 = performance.now();
    await makeImageVariants(jpeg);
    variants.push(performance.now() - t0);
  }
  const v = summary(variants);
  const d = summary(decode);
  return {
    photo: '4000×3000 JPEG',
    bytes: jpeg.length,
    runs: VARIANT_RUNS,
    variantsMs: v,
    decodeOnlyMs: d,
    imagesPerSecondPerCore: round(1000 / v.median, 2),
    ratioToDecode: round(v.median / d.median, 2),
  };
}

async function chatBlock(url: string, auth: Record<string, string>, planetId: number, seconds: number): Promise<number[]> {
  const until = performance.now() + seconds * 1000;
  const ms: number[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: CHAT_CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const send = n++ % 5 === 0;
        const t0 = performance.now();
        const res = await fetch(
          `${url}/api/v1/planets/${planetId}/messages${send ? '' : '?limit=50'}`,
          send ? { method: 'POST', headers: auth, body: JSON.stringify({ content: '해운대 도착 🌊' }) } : { headers: auth },
        );
        await res.arrayBuffer();
        ms.push(performance.now() - t0);
      }
    }),
  );
  return ms;
}

async function burstPart(env: Record<string, string>, port: number) {
  const dir = await mkdtemp(join(tmpdir(), 'connecto-bench-burst-'));
  const app = startApp({ ...env, STORAGE_LOCAL_DIR: dir, MEDIA_WORKER_ENABLED: 'true', MEDIA_WORKER_CONCURRENCY: '1' }, port);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url);
    const auth = await register(url);
    const travel = (await (
      await fetch(`${url}/api/v1/travels`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ title: '벤치 여행', visibility: 'PUBLIC' }),
      })
    ).json()) as { id: number };
    const planet = (await (
      await fetch(`${url}/api/v1/travels/${travel.id}/planets`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: '벤치 방' }),
      })
    ).json()) as { id: number };
    await chatBlock(url, auth, planet.id, 3);
    const quiet = await chatBlock(url, auth, planet.id, CHAT_SECONDS);
    const jpeg = await photo(BURST_PHOTO[0], BURST_PHOTO[1]);
    let uploaded = 0;
    const burst = (async () => {
      // Four phones at a time announce, PUT and complete; the worker processes them one by one.
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < BURST) {
            next++;
            const id = await announceAndPut(url, auth, jpeg, 'image', 'image/jpeg', 'p.jpg');
            await fetch(`${url}/api/v1/media/${id}/complete`, { method: 'POST', headers: auth });
            uploaded++;
          }
        }),
      );
    })();
    const busy = await chatBlock(url, auth, planet.id, CHAT_SECONDS);
    await burst;
    const q = summary(quiet);
    const b = summary(busy);
    return {
      burst: BURST,
      photo: `${BURST_PHOTO[0]}×${BURST_PHOTO[1]} JPEG`,
      photoBytes: jpeg.length,
      uploadedDuringBlock: uploaded,
      workerConcurrency: 1,
      chatSeconds: CHAT_SECONDS,
      withoutUploads: q,
      withUploads: b,
      p95Ratio: round(b.p95 / q.p95, 2),
      targetP95Ratio: 1.5,
    };
  } finally {
    await stop(app);
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const database = process.env.BENCH_DATABASE ?? 'connecto_bench_media';
  const env = benchEnv(database, { REDIS_KEY_PREFIX: `bench:media:${process.pid}:` });
  const ds = await openBenchDb(env, 2);
  await ds.destroy();
  const plainEnv = Object.fromEntries(
    Object.entries(env)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  const parts = (process.env.BENCH_PARTS ?? 'uploads,variants,burst').split(',');
  const result: Record<string, unknown> = { at: new Date().toISOString(), loadavgBefore: loadavg().map((l) => round(l, 2)) };
  if (parts.includes('uploads')) {
    result.uploadsLocal = await uploadsPart(plainEnv, 'local', BASE_PORT);
    console.log('uploads (local driver):', JSON.stringify(result.uploadsLocal));
    result.uploadsS3rver = await uploadsPart(plainEnv, 's3', BASE_PORT + 2);
    console.log('uploads (s3rver):', JSON.stringify(result.uploadsS3rver));
  }
  if (parts.includes('variants')) {
    result.variants = await variantsPart();
    console.log('variants:', JSON.stringify(result.variants));
  }
  if (parts.includes('burst')) {
    result.chatDuringBurst = await burstPart(plainEnv, BASE_PORT + 4);
    console.log('chat during a photo burst:', JSON.stringify(result.chatDuringBurst));
  }
  // The burst leaves unprocessed jobs in Redis: remove this run's keys.
  const redis = new Redis({ host: env.REDIS_HOST, port: env.REDIS_PORT, password: env.REDIS_PASSWORD || undefined, db: env.REDIS_DB });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_KEY_PREFIX}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const file = join(root, 'bench', 'results', `media-${stamp()}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
