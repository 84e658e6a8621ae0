import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue, Worker } from 'bullmq';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { BootError } from '../../common/errors/boot.error';
import { EnvironmentVariables } from '../../config/env';
import { MEDIA_QUEUE } from '../queue/queue.module';
import { instrumentPool, poolOf } from './db-metrics';
import { queueDepthHook, trackWorker } from './queue-metrics';
import { QueryPatterns } from './query-patterns';
import { createSeries, Series } from './series';
import { trackSocket } from './socket-metrics';

/** The outcome label of a Cloudflare call: from its HTTP status, or what went wrong before one. */
/** `throttled`: not sent, because the limit shared by all nodes was spent. */
export type CloudflareOutcome = 'ok' | 'client_error' | 'rate_limited' | 'server_error' | 'timeout' | 'network_error' | 'throttled';

export function cloudflareOutcomeOf(status: number | undefined, err?: unknown): CloudflareOutcome {
  if (status === undefined) {
    const e = err as { name?: string; code?: string } | undefined;
    return e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ETIMEDOUT' || e?.code === 'UND_ERR_HEADERS_TIMEOUT'
      ? 'timeout'
      : 'network_error';
  }
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The app's one Prometheus registry: prom-client's default Node metrics (process, heap, GC,
 * `nodejs_eventloop_lag_*`) plus `series` (series.ts). Features record through `series`; state
 * that is cheaper to read than to track (pool sizes, queue depths) is set by `onScrape` callbacks
 * just before each scrape. With METRICS_ENABLED=false nothing is collected or served, and the
 * hooks (HTTP middleware, query timing, sockets) are not installed.
 */
@Injectable()
export class Metrics implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  readonly registry = new Registry();
  readonly series: Series = createSeries(this.registry);
  readonly enabled: boolean;
  /** Relations read together per route, on a sample of requests (QUERY_PATTERN_SAMPLE_RATE; off with metrics off). */
  readonly queryPatterns: QueryPatterns;
  private readonly token?: Buffer;
  private readonly scrapeHooks: (() => void | Promise<void>)[] = [];
  private portServer?: Server;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {
    this.enabled = env.METRICS_ENABLED === 'true';
    this.queryPatterns = new QueryPatterns(this.enabled ? env.QUERY_PATTERN_SAMPLE_RATE : 0);
    if (env.METRICS_TOKEN) this.token = digest(env.METRICS_TOKEN);
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    collectDefaultMetrics({ register: this.registry });
    const pool = poolOf(this.dataSource);
    const patterns = this.queryPatterns;
    if (pool) this.onScrape(instrumentPool(pool, this.series, patterns.enabled ? (sql) => patterns.observe(sql) : undefined));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    // The app's queues (QueueModule): their depth is read at each scrape.
    for (const name of [MEDIA_QUEUE]) {
      const queue = this.queueNamed(name);
      if (queue) this.trackQueue(queue);
    }
    if (this.env.METRICS_PORT > 0) await this.listenOnMetricsPort();
  }

  private queueNamed(name: string): Queue | undefined {
    try {
      return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    } catch {
      return undefined; // not registered in this app (e.g. a test module)
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.portServer;
    this.portServer = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Runs `hook` before every scrape (set gauges from live state there). */
  onScrape(hook: () => void | Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  /** Counts a connected socket, its events and acks (see socket-metrics.ts). */
  trackSocket(socket: Socket): void {
    if (this.enabled) trackSocket(socket, this.series);
  }

  /** Reports the depth of `queue` by state at each scrape (`connecto_jobs_queued`). The app's own queues are tracked already. */
  trackQueue(queue: Queue): void {
    if (this.enabled) this.onScrape(queueDepthHook(queue, this.series));
  }

  /** Counts a worker's completed jobs, failed attempts and retries (`connecto_jobs_completed_total`, `connecto_job_failures_total`, `connecto_job_retries_total`). Call once per Worker. */
  trackWorker(worker: Worker): void {
    if (this.enabled) trackWorker(worker, this.series);
  }

  /**
   * Counts one Cloudflare API call (`connecto_cloudflare_requests_total`) and its duration when
   * given. `api` is a fixed name per call site (`images.upload`, `images.delete`, `stream.direct_upload`…),
   * never an id or a URL; `outcome` from cloudflareOutcomeOf.
   */
  recordCloudflare(api: string, outcome: CloudflareOutcome, seconds?: number): void {
    if (!this.enabled) return;
    this.series.cloudflareRequests.inc({ api, outcome });
    if (seconds !== undefined) this.series.cloudflareDuration.observe({ api, outcome }, seconds);
  }

  /** True for `Authorization: Bearer <METRICS_TOKEN>`; always false when no token is configured. */
  acceptsToken(authorization: string | undefined): boolean {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    return this.token !== undefined && match !== null && timingSafeEqual(digest(match[1]), this.token);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Runs the scrape hooks: gauges read from live state (pool, queues) are current after it. */
  async collect(): Promise<void> {
    for (const hook of this.scrapeHooks) await hook();
  }

  /** The Prometheus text format of every series. */
  async render(): Promise<string> {
    await this.collect();
    return this.registry.metrics();
  }

  /** The port of the token-free listener, once listening (METRICS_PORT). */
  get metricsPort(): number | undefined {
    const address = this.portServer?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  /** METRICS_PORT: GET /metrics without a token, on a port meant for a private network only. */
  private async listenOnMetricsPort(): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' || (path !== '/metrics' && path !== '/metrics/')) {
        res
          .writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' })
          .end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'Only GET /metrics is served here' }));
        return;
      }
      this.render().then(
        (text) => res.writeHead(200, { 'Content-Type': this.contentType }).end(text),
        (err: unknown) => {
          this.logger.error(`metrics scrape failed: ${(err as Error).message}`);
          res
            .writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' })
            .end(JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'Metrics could not be collected' }));
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new BootError(
            `METRICS_PORT ${this.env.METRICS_PORT} on ${this.env.METRICS_HOST} cannot be opened (${err.code ?? err.message}): choose a free port, or 0 to serve /metrics on PORT only`,
          ),
        ),
      );
      server.listen(this.env.METRICS_PORT, this.env.METRICS_HOST, () => resolve());
    });
    this.portServer = server;
    this.logger.log(`serving /metrics without a token on ${this.env.METRICS_HOST}:${this.metricsPort}`);
  }
}
