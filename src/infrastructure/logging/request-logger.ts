import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { prettyDestination } from './pretty-stream';

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT=auto: readable lines while developing, JSON for everything that collects logs. */
export function resolveLogFormat(env: { LOG_FORMAT: string; NODE_ENV: string }): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return env.NODE_ENV === 'development' ? 'pretty' : 'json';
}

export function createLogger(level: string, format: LogFormat = 'json'): pino.Logger {
  const options = { level, base: { service: 'connecto-api' }, timestamp: pino.stdTimeFunctions.isoTime };
  return format === 'pretty' ? pino(options, prettyDestination()) : pino(options);
}

/** One log line per request: method, route, status, duration, user id, request id (JSON, or pretty in development). */
export function requestLogger(logger: pino.Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customProps: (req) => ({ userId: (req as IncomingMessage & { user?: { id: number } }).user?.id }),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
