import type { NextFunction, Request, Response } from 'express';
import type { Series } from './series';

/** The `route` label of a request no route matched (unknown paths, CORS preflights, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * The matched route's template (`/api/v1/planets/:planetId/messages`), never the raw path. Nest's
 * not-found handler is a wildcard route (`/api/v1` + `*path`): wildcards count as unmatched.
 */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && !path.includes('*') ? `${req.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}

function isScrape(url: string): boolean {
  return url === '/metrics' || url.startsWith('/metrics?') || url.startsWith('/metrics/');
}

/** The ops pages (/admin: dashboard, slow queries) are not API traffic: their polling is not counted. */
function isAdmin(url: string): boolean {
  return url === '/admin' || url.startsWith('/admin?') || url.startsWith('/admin/');
}

/** Scrapes and the ops pages: not counted in the HTTP series nor sampled for query patterns. */
export function isOpsPath(url: string): boolean {
  return isScrape(url) || isAdmin(url);
}

/**
 * Express middleware, mounted first: times every request to its last byte and counts 4xx/5xx
 * answers, by method, route template and status. Scrapes of /metrics and the /admin pages are not counted.
 * Requests the client abandons before the answer is written are not observed.
 */
export function httpMetrics(series: Series) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isOpsPath(req.url)) return next();
    const start = performance.now();
    res.once('finish', () => {
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const route = routeTemplate(req);
      const status = res.statusCode;
      series.httpRequestDuration.observe({ method, route, status_code: String(status) }, (performance.now() - start) / 1000);
      if (status >= 400) series.httpRequestErrors.inc({ method, route, status_class: status >= 500 ? '5xx' : '4xx' });
    });
    next();
  };
}
