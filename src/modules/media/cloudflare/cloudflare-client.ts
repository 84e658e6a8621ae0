import { Injectable, Logger } from '@nestjs/common';
import { cloudflareOf, EnvironmentVariables } from '../../../config/env';
import { CloudflareOutcome, Metrics } from '../../../infrastructure/metrics/metrics.service';
import { RedisService } from '../../../infrastructure/redis/redis.service';
import { CloudflareRateLimit } from './cloudflare-rate-limit';

export type CloudflareApi = 'images' | 'stream';

/** Cloudflare could not be reached in time (retries spent, 5xx, 429 past the longest wait, limit spent): callers fall back. */
export class CloudflareUnavailableError extends Error {
  override name = 'CloudflareUnavailableError';
}

/** Cloudflare refused the request itself (4xx other than 429): retrying cannot help. */
export class CloudflareRequestError extends Error {
  override name = 'CloudflareRequestError';
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface CloudflareResponse<T> {
  status: number;
  headers: Headers;
  /** `result` of Cloudflare's envelope `{ success, errors, messages, result }` (or null for bodies without one). */
  result: T;
}

interface RequestOptions {
  method: string;
  /** Path under /accounts/<id>/, e.g. `images/v1`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  /** Statuses that are not errors for this call (e.g. 404 for "does it exist?"). */
  accept?: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one way to the Cloudflare API. Every call takes a request from the limit shared by all
 * nodes (CloudflareRateLimit); a 429 waits for Retry-After (and makes every node wait), 5xx,
 * timeouts and network errors retry with exponential backoff and full jitter. When retries run
 * out, or a wait would exceed CLOUDFLARE_MAX_WAIT_SECONDS, it throws CloudflareUnavailableError
 * and the caller falls back to local processing. Every attempt is counted in
 * `connecto_cloudflare_requests_total{api,outcome}`.
 */
@Injectable()
export class CloudflareClient {
  private readonly logger = new Logger('Cloudflare');
  readonly enabled: { images: boolean; stream: boolean };
  private readonly limit?: CloudflareRateLimit;

  constructor(
    private readonly env: EnvironmentVariables,
    redis: RedisService,
    private readonly metrics: Metrics,
  ) {
    this.enabled = cloudflareOf(env);
    if (env.CLOUDFLARE_API_TOKEN)
      this.limit = new CloudflareRateLimit(
        redis,
        env.CLOUDFLARE_API_TOKEN,
        env.CLOUDFLARE_RATE_LIMIT_REQUESTS,
        env.CLOUDFLARE_RATE_LIMIT_WINDOW_SECONDS * 1000,
      );
  }

  private count(api: CloudflareApi, outcome: CloudflareOutcome): void {
    this.metrics.recordCloudflare(api, outcome);
  }

  /** Waits for the shared budget, up to the longest allowed wait. */
  private async takeBudget(api: CloudflareApi, deadline: number): Promise<void> {
    if (!this.limit) throw new CloudflareUnavailableError('Cloudflare is not configured');
    for (;;) {
      let wait: number;
      try {
        wait = await this.limit.acquire();
      } catch (err) {
        // Without Redis no node can know the shared count: do not risk Cloudflare's 5-minute block.
        this.count(api, 'throttled');
        throw new CloudflareUnavailableError(`the shared Cloudflare rate limit could not be read (${(err as Error).message})`);
      }
      if (wait === 0) return;
      if (Date.now() + wait > deadline) {
        this.count(api, 'throttled');
        throw new CloudflareUnavailableError(
          `the Cloudflare API limit (${this.env.CLOUDFLARE_RATE_LIMIT_REQUESTS} requests per ${this.env.CLOUDFLARE_RATE_LIMIT_WINDOW_SECONDS} s, all nodes) is spent for ${Math.ceil(wait / 1000)} s`,
        );
      }
      await sleep(wait);
    }
  }

  async request<T = unknown>(api: CloudflareApi, opts: RequestOptions): Promise<CloudflareResponse<T>> {
    const base = this.env.CLOUDFLARE_API_BASE_URL.replace(/\/$/, '');
    const url = new URL(`${base}/accounts/${this.env.CLOUDFLARE_ACCOUNT_ID}/${opts.path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const deadline =
      Date.now() + this.env.CLOUDFLARE_MAX_WAIT_SECONDS * 1000 + this.env.CLOUDFLARE_TIMEOUT_MS * (this.env.CLOUDFLARE_RETRIES + 1);
    const maxWaitMs = this.env.CLOUDFLARE_MAX_WAIT_SECONDS * 1000;
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.env.CLOUDFLARE_RETRIES; attempt++) {
      if (attempt > 0) await sleep(Math.random() * this.env.CLOUDFLARE_RETRY_BASE_MS * 2 ** (attempt - 1));
      await this.takeBudget(api, Math.min(deadline, Date.now() + maxWaitMs));
      let res: Response;
      try {
        res = await fetch(url, {
          method: opts.method,
          headers: {
            Authorization: `Bearer ${this.env.CLOUDFLARE_API_TOKEN}`,
            ...(opts.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...opts.headers,
          },
          body: opts.form ?? (opts.json !== undefined ? JSON.stringify(opts.json) : undefined),
          signal: AbortSignal.timeout(this.env.CLOUDFLARE_TIMEOUT_MS),
        });
      } catch (err) {
        const timeout = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
        this.count(api, timeout ? 'timeout' : 'network_error');
        lastProblem = timeout ? `no answer within ${this.env.CLOUDFLARE_TIMEOUT_MS} ms` : `network error (${(err as Error).message})`;
        continue;
      }
      const text = await res.text().catch(() => '');
      const body = parseEnvelope<T>(text);
      if (res.ok || opts.accept?.includes(res.status)) {
        this.count(api, 'ok');
        return { status: res.status, headers: res.headers, result: (body?.result ?? null) as T };
      }
      const errors = body?.errors?.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ') || text.slice(0, 200);
      if (res.status === 429) {
        this.count(api, 'rate_limited');
        const retryAfterMs = retryAfterOf(res.headers.get('retry-after')) ?? 5 * 60_000;
        await this.limit?.block(retryAfterMs).catch(() => undefined);
        lastProblem = `429 rate limited (Retry-After ${Math.ceil(retryAfterMs / 1000)} s)`;
        if (retryAfterMs > maxWaitMs) break;
        continue; // takeBudget waits out the block (every node does)
      }
      if (res.status >= 500) {
        this.count(api, 'server_error');
        lastProblem = `${res.status} ${errors}`;
        continue;
      }
      this.count(api, 'client_error');
      throw new CloudflareRequestError(res.status, `Cloudflare ${api} answered ${res.status}: ${errors}`, body);
    }
    this.logger.warn(`${opts.method} ${opts.path.split('/').slice(0, 2).join('/')}: giving up (${lastProblem})`);
    throw new CloudflareUnavailableError(`Cloudflare ${api} is unavailable: ${lastProblem}`);
  }
}

interface Envelope<T> {
  result?: T;
  errors?: { code?: number; message?: string }[];
}

function parseEnvelope<T>(text: string): Envelope<T> | null {
  try {
    return text ? (JSON.parse(text) as Envelope<T>) : null;
  } catch {
    return null;
  }
}

/** Retry-After as ms: seconds or an HTTP date. */
function retryAfterOf(value: string | null): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
