import { INestApplication, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppException, ErrorCode } from '../../common/errors/app.exception';
import { toErrorBody } from '../../common/filters/all-exceptions.filter';
import { EnvironmentVariables } from '../../config/env';
import { Metrics } from '../../infrastructure/metrics/metrics.service';
import { preBodyRateLimit } from '../../infrastructure/rate-limit/rate-limit.interceptor';
import { RateLimiter } from '../../infrastructure/rate-limit/rate-limiter.service';
import { AdminAuth, clearedCookie } from './admin-auth';
import { DashboardSampler } from './dashboard-sampler';
import { SlowQueryReport, slowQueryReport } from './slow-queries';

/** The page's files, read once (copied next to the compiled code by `npm run build`). */
const ASSETS = join(__dirname, 'assets');
const asset = (name: string) => readFileSync(join(ASSETS, name), 'utf8');
const STATIC: Record<string, { type: string; file: string }> = {
  '/dashboard/app.js': { type: 'text/javascript; charset=utf-8', file: 'dashboard.js' },
  '/dashboard/app.css': { type: 'text/css; charset=utf-8', file: 'dashboard.css' },
};
/** The slow-statement list on the dashboard is re-read at most this often. */
const SLOW_QUERY_TTL_MS = 10_000;
const FORM_LIMIT_BYTES = 4096;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function securityHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
}

function answer(res: Response, err: unknown): void {
  const { body } = toErrorBody(err);
  res.status(body.statusCode).json(body);
}

function readForm(req: Request): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > FORM_LIMIT_BYTES) {
        reject(new AppException(ErrorCode.PAYLOAD_TOO_LARGE, `The sign-in form is limited to ${FORM_LIMIT_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * The ops pages, as Express middleware on /admin mounted right after /metrics (outside /api/v1,
 * Nest's pipeline, the rate limits and the HTTP series, like /metrics):
 *
 * - `GET /admin/dashboard`: the live dashboard (the sign-in form while not signed in, with a 401)
 * - `POST /admin/session`: the sign-in form (`token=<ADMIN_TOKEN>`) sets the session cookie; `POST /admin/session/end` clears it
 * - `GET /admin/dashboard/data`: the charts' JSON (DashboardSampler.data + the slowest statements)
 * - `GET /admin/slow-queries?limit=10`: the pg_stat_statements report (slow-queries.ts)
 * - `GET /admin/query-patterns`: relations read together per route (query-patterns.ts); `POST /admin/query-patterns/reset` empties it
 *
 * Every request but the sign-in needs ADMIN_TOKEN (AdminAuth): a bearer token or the cookie.
 */
export function installAdmin(app: INestApplication): void {
  const env = app.get(EnvironmentVariables);
  const sampler = app.get(DashboardSampler);
  const dataSource = app.get(DataSource);
  const metrics = app.get(Metrics);
  const auth = new AdminAuth(env.ADMIN_TOKEN);
  const logger = new Logger('Admin');
  const page = asset('dashboard.html');
  const signIn = asset('sign-in.html');
  const files = Object.fromEntries(Object.entries(STATIC).map(([path, f]) => [path, { type: f.type, body: asset(f.file) }]));

  let slowCache: { at: number; report: Promise<SlowQueryReport> } | undefined;
  const slowQueries = (limit: number, cached: boolean): Promise<SlowQueryReport> => {
    if (!cached) return slowQueryReport(dataSource, limit);
    if (!slowCache || Date.now() - slowCache.at > SLOW_QUERY_TTL_MS) {
      const report = slowQueryReport(dataSource, limit);
      slowCache = { at: Date.now(), report };
      report.catch(() => (slowCache = undefined));
    }
    return slowCache.report;
  };

  const signInPage = (res: Response, status: number, message: string) => {
    securityHeaders(res);
    res
      .status(status)
      .type('html')
      .send(signIn.replace('{{message}}', escapeHtml(message)));
  };

  // Sign-in attempts share the per-IP budget of auth/* (RATE_LIMIT_AUTH_IP): no token guessing at full speed.
  const signInLimit = preBodyRateLimit(app.get(RateLimiter), 'auth');
  app.use('/admin/session', (req: Request, res: Response, next: NextFunction): void =>
    req.method === 'POST' ? signInLimit(req, res, next) : next(),
  );

  app.use('/admin', (req: Request, res: Response, _next: NextFunction): void => {
    const path = req.path.replace(/\/+$/, '') || '/';
    const run = async (): Promise<void> => {
      if (path === '/session' && req.method === 'POST') {
        const form = await readForm(req);
        if (!auth.configured) return signInPage(res, 401, 'ADMIN_TOKEN is not set on this instance: the dashboard is closed.');
        if (!auth.acceptsToken(form.get('token') ?? undefined)) return signInPage(res, 401, 'Wrong admin token.');
        res.setHeader('Set-Cookie', auth.sessionCookie(req.secure));
        res.redirect(303, `${req.baseUrl}/dashboard`);
        return;
      }
      if (path === '/session/end' && req.method === 'POST') {
        res.setHeader('Set-Cookie', clearedCookie);
        res.redirect(303, `${req.baseUrl}/dashboard`);
        return;
      }
      // The style sheet is public: the sign-in form uses it too (it holds no data).
      if (path === '/dashboard/app.css' && req.method === 'GET') {
        securityHeaders(res);
        res.status(200).type(STATIC[path].type).send(files[path].body);
        return;
      }
      const signedIn = auth.accepts(req.headers);
      if (!signedIn && path === '/dashboard' && req.method === 'GET') {
        return signInPage(
          res,
          401,
          auth.configured
            ? 'Sign in with the admin token (ADMIN_TOKEN).'
            : 'ADMIN_TOKEN is not set on this instance: the dashboard is closed.',
        );
      }
      if (!signedIn)
        throw AppException.unauthorized(
          'Missing or wrong admin token: send Authorization: Bearer <ADMIN_TOKEN>, or sign in at /admin/dashboard',
        );
      if (path === '/query-patterns/reset' && req.method === 'POST') {
        metrics.queryPatterns.reset();
        res.status(204).end();
        return;
      }
      if (req.method !== 'GET') throw new AppException(ErrorCode.NOT_FOUND, `Cannot ${req.method} ${req.originalUrl.split('?')[0]}`);
      if (path === '/slow-queries') {
        const limit = req.query.limit === undefined ? 10 : Number(req.query.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
          throw AppException.badRequest('limit', 'must be an integer from 1 to 100');
        res.setHeader('Cache-Control', 'no-store');
        res.json(await slowQueries(limit, false));
        return;
      }
      if (path === '/query-patterns') {
        res.setHeader('Cache-Control', 'no-store');
        res.json(metrics.queryPatterns.report());
        return;
      }
      if (!sampler.enabled && path.startsWith('/dashboard'))
        throw new AppException(ErrorCode.NOT_FOUND, 'The dashboard needs metrics: METRICS_ENABLED is false on this instance');
      if (path === '/dashboard') {
        securityHeaders(res);
        res.status(200).type('html').send(page);
        return;
      }
      if (path === '/dashboard/data') {
        res.setHeader('Cache-Control', 'no-store');
        res.json({ ...sampler.data(), slowStatements: await slowQueries(10, true) });
        return;
      }
      const file = files[path];
      if (file) {
        securityHeaders(res);
        res.status(200).type(file.type).send(file.body);
        return;
      }
      throw new AppException(ErrorCode.NOT_FOUND, `Cannot GET ${req.originalUrl.split('?')[0]}`);
    };
    run().catch((err: unknown) => {
      if (!(err instanceof AppException)) logger.error(`${req.method} ${req.originalUrl.split('?')[0]} failed: ${(err as Error).message}`);
      if (!res.headersSent) answer(res, err);
    });
  });
}
