import { Global, INestApplication, Module } from '@nestjs/common';
import { httpMetrics } from './http-metrics';
import { metricsEndpoint } from './metrics-endpoint';
import { Metrics } from './metrics.service';

/** The Prometheus registry (`Metrics`), injectable everywhere. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}

/**
 * Mounts GET /metrics and the HTTP timing middleware. Call before any other `app.use`, so a scrape
 * does no other work and every other request is timed from its start.
 */
export function installMetrics(app: INestApplication): void {
  const metrics = app.get(Metrics);
  app.use('/metrics', metricsEndpoint(metrics));
  if (metrics.enabled) app.use(httpMetrics(metrics.series));
  if (metrics.queryPatterns.enabled) app.use(metrics.queryPatterns.middleware());
}
