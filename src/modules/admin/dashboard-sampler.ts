import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { EnvironmentVariables } from '../../config/env';
import { Metrics } from '../../infrastructure/metrics/metrics.service';
import { HTTP_BUCKETS } from '../../infrastructure/metrics/series';
import { deltaOf, quantileOf } from './histogram';

/** Samples kept (15 minutes at the default 5 s). */
export const HISTORY_SAMPLES = 180;
/** The window of the per-route table and the headline figures. */
export const SUMMARY_WINDOW_SECONDS = 300;
/** The route of a message sent over REST (sends over the socket are counted from their acks). */
const MESSAGE_SEND_ROUTE = '/api/v1/planets/:planetId/messages';

/** The seed's KPIs, drawn on the charts as thresholds (SEED-PLAN: P95 < 100 ms, errors < 0.1 %, cache hits > 70 %, > 5,000 users). */
export const KPIS = {
  p95Seconds: 0.1,
  readP95Seconds: 0.05,
  errorRate: 0.001,
  cacheHitRate: 0.7,
  concurrentUsers: 5000,
} as const;

interface RouteCounts {
  method: string;
  route: string;
  /** Cumulative bucket counts (HTTP_BUCKETS, then +Inf = total). */
  buckets: number[];
  /** Answers with a 5xx status (the KPI's errors); 4xx are the client's and counted apart. */
  errors: number;
  clientErrors: number;
}

/** One reading of the cumulative series. */
interface Sample {
  t: number;
  routes: Map<string, RouteCounts>;
  messages: number;
  sockets: number;
  cacheHits: number;
  cacheMisses: number;
  poolInUse: number;
  poolMax: number;
  poolWaiting: number;
  queueDepth: number | null;
  eventLoopLagP99: number | null;
}

export interface LatencyPoint {
  /** Epoch ms of the end of the interval. */
  t: number;
  requests: number;
  reqPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** 5xx share of the interval's requests (null without requests). */
  errorRate: number | null;
}

export interface DashboardPoint extends LatencyPoint {
  msgPerSec: number;
  sockets: number;
  cacheHitRate: number | null;
  poolInUse: number;
  poolMax: number;
  poolSaturation: number;
  poolWaiting: number;
  queueDepth: number | null;
  eventLoopLagP99: number | null;
}

export interface RouteSummary {
  method: string;
  route: string;
  requests: number;
  reqPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorRate: number | null;
  clientErrors: number;
}

export interface DashboardData {
  instance: { hostname: string; pid: number };
  generatedAt: number;
  intervalSeconds: number;
  summaryWindowSeconds: number;
  kpis: typeof KPIS;
  points: DashboardPoint[];
  routes: (RouteSummary & { points: LatencyPoint[] })[];
}

const key = (method: string, route: string) => `${method} ${route}`;
const sumOf = (values: { value: number }[]) => values.reduce((a, v) => a + v.value, 0);

/**
 * The dashboard's history of this instance: every DASHBOARD_SAMPLE_SECONDS it reads the metrics
 * registry's cumulative series (the same numbers GET /metrics serves), keeps the last
 * HISTORY_SAMPLES readings, and turns consecutive readings into per-interval figures: request
 * and message rates, P50/P95/P99 from the histogram bucket deltas (as Prometheus'
 * `histogram_quantile` would), error rate, cache hit rate, pool saturation and queue depth.
 * Each instance has its own; Grafana (docker-compose `monitoring` profile) shows all of them.
 */
@Injectable()
export class DashboardSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dashboard');
  private readonly history: Sample[] = [];
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;
  readonly intervalSeconds: number;

  constructor(
    private readonly metrics: Metrics,
    env: EnvironmentVariables,
  ) {
    this.intervalSeconds = env.DASHBOARD_SAMPLE_SECONDS;
  }

  get enabled(): boolean {
    return this.metrics.enabled;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  /** Takes one sample now (also what the timer does). */
  tick(): Promise<void> {
    this.sampling ??= this.read()
      .then((sample) => {
        this.history.push(sample);
        if (this.history.length > HISTORY_SAMPLES) this.history.shift();
      })
      .catch((err: unknown) => this.logger.warn(`dashboard sample failed: ${(err as Error).message}`))
      .finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private async read(): Promise<Sample> {
    await this.metrics.collect();
    const s = this.metrics.series;
    const [http, acks, sockets, hits, misses, pool, waiting, max] = await Promise.all([
      s.httpRequestDuration.get(),
      s.socketAcks.get(),
      s.socketsConnected.get(),
      s.cacheHits.get(),
      s.cacheMisses.get(),
      s.dbPoolConnections.get(),
      s.dbPoolWaiting.get(),
      s.dbPoolMax.get(),
    ]);
    const routes = new Map<string, RouteCounts>();
    const at = (method: string, route: string) => {
      const k = key(method, route);
      let r = routes.get(k);
      if (!r)
        routes.set(k, (r = { method, route, buckets: new Array<number>(HTTP_BUCKETS.length + 1).fill(0), errors: 0, clientErrors: 0 }));
      return r;
    };
    let restSends = 0;
    for (const v of http.values) {
      const { method, route, status_code: status, le } = v.labels as Record<string, string | number | undefined>;
      const r = at(String(method), String(route));
      if (v.metricName?.endsWith('_bucket')) {
        const i = le === '+Inf' ? HTTP_BUCKETS.length : HTTP_BUCKETS.indexOf(Number(le));
        if (i >= 0) r.buckets[i] += v.value;
      } else if (v.metricName?.endsWith('_count')) {
        const code = Number(status);
        if (code >= 500) r.errors += v.value;
        else if (code >= 400) r.clientErrors += v.value;
        if (method === 'POST' && route === MESSAGE_SEND_ROUTE && code >= 200 && code < 300) restSends += v.value;
      }
    }
    const socketSends = sumOf(acks.values.filter((v) => v.labels.event === 'message:send' && v.labels.outcome === 'ok'));
    const inUse = sumOf(pool.values.filter((v) => v.labels.state === 'in_use'));
    const lag = this.metrics.registry.getSingleMetric('nodejs_eventloop_lag_p99_seconds');
    const lagValue = lag ? (await lag.get()).values[0]?.value : undefined;
    const queued = (await s.jobsQueued.get()).values;
    const queueValues = queued.filter(
      (v) =>
        v.labels.state === 'waiting' || v.labels.state === 'delayed' || v.labels.state === 'active' || v.labels.state === 'prioritized',
    );
    return {
      t: Date.now(),
      routes,
      messages: restSends + socketSends,
      sockets: sumOf(sockets.values),
      cacheHits: sumOf(hits.values),
      cacheMisses: sumOf(misses.values),
      poolInUse: inUse,
      poolMax: sumOf(max.values),
      poolWaiting: sumOf(waiting.values),
      queueDepth: queued.length > 0 ? sumOf(queueValues) : null,
      eventLoopLagP99: typeof lagValue === 'number' && Number.isFinite(lagValue) ? lagValue : null,
    };
  }

  /** The charts' data: one point per interval of the history, and the per-route table of the last SUMMARY_WINDOW_SECONDS. */
  data(): DashboardData {
    const h = this.history;
    const points: DashboardPoint[] = [];
    const routePoints = new Map<string, LatencyPoint[]>();
    for (let i = 1; i < h.length; i++) {
      const [prev, cur] = [h[i - 1], h[i]];
      const seconds = Math.max((cur.t - prev.t) / 1000, 0.001);
      let all = new Array<number>(HTTP_BUCKETS.length + 1).fill(0);
      let errors = 0;
      for (const [k, r] of cur.routes) {
        const before = prev.routes.get(k);
        const buckets = deltaOf(r.buckets, before?.buckets);
        const errs = Math.max(r.errors - (before?.errors ?? 0), 0);
        all = all.map((v, j) => v + buckets[j]);
        errors += errs;
        const list = routePoints.get(k) ?? [];
        list.push(latencyPoint(cur.t, buckets, errs, seconds));
        routePoints.set(k, list);
      }
      const hits = Math.max(cur.cacheHits - prev.cacheHits, 0);
      const misses = Math.max(cur.cacheMisses - prev.cacheMisses, 0);
      points.push({
        ...latencyPoint(cur.t, all, errors, seconds),
        msgPerSec: Math.max(cur.messages - prev.messages, 0) / seconds,
        sockets: cur.sockets,
        cacheHitRate: hits + misses > 0 ? hits / (hits + misses) : null,
        poolInUse: cur.poolInUse,
        poolMax: cur.poolMax,
        poolSaturation: cur.poolMax > 0 ? cur.poolInUse / cur.poolMax : 0,
        poolWaiting: cur.poolWaiting,
        queueDepth: cur.queueDepth,
        eventLoopLagP99: cur.eventLoopLagP99,
      });
    }
    const last = h[h.length - 1];
    const first = last ? (h.find((s) => s.t >= last.t - SUMMARY_WINDOW_SECONDS * 1000) ?? last) : undefined;
    const routes: DashboardData['routes'] = [];
    if (last && first) {
      const seconds = Math.max((last.t - first.t) / 1000, 0.001);
      for (const [k, r] of last.routes) {
        const before = first === last ? undefined : first.routes.get(k);
        const buckets = deltaOf(r.buckets, before?.buckets);
        const requests = buckets[HTTP_BUCKETS.length];
        if (requests === 0 || first === last) continue;
        const p = latencyPoint(last.t, buckets, Math.max(r.errors - (before?.errors ?? 0), 0), seconds);
        routes.push({
          method: r.method,
          route: r.route,
          requests,
          reqPerSec: p.reqPerSec,
          p50: p.p50,
          p95: p.p95,
          p99: p.p99,
          errorRate: p.errorRate,
          clientErrors: Math.max(r.clientErrors - (before?.clientErrors ?? 0), 0),
          points: routePoints.get(k) ?? [],
        });
      }
      routes.sort((a, b) => b.requests - a.requests);
    }
    return {
      instance: { hostname: hostname(), pid: process.pid },
      generatedAt: Date.now(),
      intervalSeconds: this.intervalSeconds,
      summaryWindowSeconds: SUMMARY_WINDOW_SECONDS,
      kpis: KPIS,
      points,
      routes,
    };
  }
}

function latencyPoint(t: number, buckets: number[], errors: number, seconds: number): LatencyPoint {
  const requests = buckets[HTTP_BUCKETS.length];
  return {
    t,
    requests,
    reqPerSec: requests / seconds,
    p50: quantileOf(0.5, HTTP_BUCKETS, buckets),
    p95: quantileOf(0.95, HTTP_BUCKETS, buckets),
    p99: quantileOf(0.99, HTTP_BUCKETS, buckets),
    errorRate: requests > 0 ? errors / requests : null,
  };
}
