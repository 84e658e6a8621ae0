import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every series the app exports, in one typed place. A feature adds its series here (a name under
 * `connecto_`, its help text, bounded label names) and records through `Metrics.series.<name>`;
 * prom-client's generics make a wrong label name a compile error. The README's Metrics section
 * lists them: keep both in step.
 *
 * Label values must come from a fixed set: route templates, event names, limit names, cache
 * namespaces, status codes. Never ids, user input or raw paths (each distinct value is a new series).
 */

/** HTTP latency buckets (s): fine around the KPIs (P95 < 50 ms / 100 ms). */
export const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** SQL statement buckets (s). */
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Socket emit buckets (s): encoding and writing to local sockets takes micro- to milliseconds. */
const EMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

export function createSeries(registry: Registry) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });

  return {
    // HTTP (src/infrastructure/metrics/http-metrics.ts)
    httpRequestDuration: histogram(
      'connecto_http_request_duration_seconds',
      'HTTP requests from the first byte read to the last byte written, by route template (`unmatched` for unknown routes) and status code',
      ['method', 'route', 'status_code'],
      HTTP_BUCKETS,
    ),
    httpRequestErrors: counter('connecto_http_request_errors_total', 'HTTP answers with a 4xx or 5xx status, by status class', [
      'method',
      'route',
      'status_class',
    ]),

    // Socket.IO (socket-metrics.ts, MessageBroadcaster)
    socketsConnected: new Gauge({
      name: 'connecto_socket_connected',
      help: 'Authenticated Socket.IO connections open on this node',
      registers,
    }),
    socketEventsReceived: counter(
      'connecto_socket_events_received_total',
      'Socket.IO events received from clients, by event name (`unknown` for names the API does not define)',
      ['event'],
    ),
    socketAcks: counter(
      'connecto_socket_acks_total',
      'Acknowledgements sent for client events: outcome `ok`, or `error` with the error status code (`none` for ok)',
      ['event', 'outcome', 'status_code'],
    ),
    socketEventDuration: histogram(
      'connecto_socket_event_duration_seconds',
      'Client events with an ack, from the packet read to the ack written (for message:send: validated, stored, broadcast, acked), by event and outcome',
      ['event', 'outcome'],
      HTTP_BUCKETS,
    ),
    socketEmitDuration: histogram(
      'connecto_socket_emit_duration_seconds',
      'Broadcast emits on this node, right after the change committed: encoding, writing to the local sockets of the room and publishing to the Redis adapter',
      ['event'],
      EMIT_BUCKETS,
    ),

    // PostgreSQL (db-metrics.ts); the pool gauges are set at scrape time
    dbPoolConnections: new Gauge({
      name: 'connecto_db_pool_connections',
      help: 'Connections of the DataSource pool, by state (`in_use` + `idle` = open connections)',
      labelNames: ['state'] as const,
      registers,
    }),
    dbPoolWaiting: new Gauge({ name: 'connecto_db_pool_waiting_requests', help: 'Queries waiting for a free pool connection', registers }),
    dbPoolMax: new Gauge({ name: 'connecto_db_pool_max_connections', help: 'The pool maximum (DATABASE_MAX_CONNECTIONS)', registers }),
    dbQueryDuration: histogram(
      'connecto_db_query_duration_seconds',
      'SQL statements on the pool, from sending to the result (no pool wait), by leading keyword',
      ['operation'],
      QUERY_BUCKETS,
    ),

    // Rate limits (RateLimiter)
    rateLimitRefusals: counter('connecto_rate_limit_refusals_total', 'Requests and events refused by a rate limit, by limit name', [
      'limit',
    ]),

    // Cache (DistributedCacheService)
    cacheHits: counter(
      'connecto_cache_hits_total',
      'Cache reads answered from the cache, by namespace and tier (`l1` in-process, `l2` Redis, `grace` a stale value served while the loader failed or was slow)',
      ['namespace', 'tier'],
    ),
    cacheMisses: counter('connecto_cache_misses_total', 'Cache reads that ran the loader, by namespace', ['namespace']),
    cacheInvalidations: counter(
      'connecto_cache_invalidations_total',
      'Cache invalidations, by namespace (a whole namespace) or tag family (`planet-member`, `user-planets`, `travel`, `user`)',
      ['namespace'],
    ),
    cacheLoadDuration: histogram(
      'connecto_cache_load_duration_seconds',
      'Loader runs after a cache miss (one per key per node however many callers missed), by namespace',
      ['namespace'],
      QUERY_BUCKETS,
    ),
    cacheErrors: counter(
      'connecto_cache_errors_total',
      'Cache reads, writes or invalidations that failed (Redis down or slow), by namespace',
      ['namespace'],
    ),

    // Job queues (queue-metrics.ts): depth read at scrape time, worker outcomes counted per instance
    jobsQueued: new Gauge({
      name: 'connecto_jobs_queued',
      help: 'Jobs in the queue (Redis, the same on every instance: aggregate with max), by queue and state (waiting, active, delayed, prioritized, failed)',
      labelNames: ['queue', 'state'] as const,
      registers,
    }),
    jobsCompleted: counter('connecto_jobs_completed_total', 'Jobs the workers of this instance completed, by queue', ['queue']),
    jobFailures: counter(
      'connecto_job_failures_total',
      'Failed job attempts on the workers of this instance (retried or final), by queue',
      ['queue'],
    ),
    jobRetries: counter('connecto_job_retries_total', 'Failed job attempts BullMQ will retry (attempts left), by queue', ['queue']),

    // Cloudflare (Metrics.recordCloudflare, called by the media integration)
    cloudflareRequests: counter(
      'connecto_cloudflare_requests_total',
      'Cloudflare API calls by api (`images`, `stream`) and outcome: `ok`, `client_error` (4xx), `rate_limited` (429), `server_error` (5xx), `timeout`, `network_error`, or `throttled` (not sent: the shared limit was spent)',
      ['api', 'outcome'],
    ),
    cloudflareDuration: histogram(
      'connecto_cloudflare_request_duration_seconds',
      'Calls to Cloudflare APIs, from the request to the answer, by api and outcome',
      ['api', 'outcome'],
      HTTP_BUCKETS,
    ),
  };
}

export type Series = ReturnType<typeof createSeries>;
