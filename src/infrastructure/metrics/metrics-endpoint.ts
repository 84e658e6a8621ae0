import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppException, ErrorCode } from '../../common/errors/app.exception';
import { toErrorBody } from '../../common/filters/all-exceptions.filter';
import type { Metrics } from './metrics.service';

/** 404 while metrics are off, 401 without `Authorization: Bearer <METRICS_TOKEN>` (always, when none is set). */
function refusalOf(metrics: Metrics, authorization: string | undefined): AppException | undefined {
  if (!metrics.enabled) return new AppException(ErrorCode.NOT_FOUND, 'Metrics are not enabled on this instance');
  if (!metrics.acceptsToken(authorization))
    return AppException.unauthorized('Missing or wrong metrics token: send Authorization: Bearer <METRICS_TOKEN>');
  return undefined;
}

/** In the one error shape (a non-AppException is a 500). */
function answer(res: Response, err: unknown): void {
  const { body } = toErrorBody(err);
  res.status(body.statusCode).json(body);
}

/**
 * `GET /metrics` on the API port, as Express middleware mounted at /metrics before everything else:
 * outside /api/v1 and Nest's pipeline, so it is never rate limited, logged as API traffic or timed
 * itself. Any method or subpath is refused first (401 / 404) unless the metrics token is given;
 * with it, only GET /metrics answers (the text format), the rest is a 404.
 */
export function metricsEndpoint(metrics: Metrics) {
  const logger = new Logger('Metrics');
  return (req: Request, res: Response, _next: NextFunction): void => {
    const refusal = refusalOf(metrics, req.headers.authorization);
    if (refusal) return answer(res, refusal);
    const path = req.url.split('?')[0];
    if (req.method !== 'GET' || (path !== '/' && path !== ''))
      return answer(res, new AppException(ErrorCode.NOT_FOUND, `Cannot ${req.method} ${req.originalUrl.split('?')[0]}`));
    metrics.render().then(
      (text) => {
        res.status(200).setHeader('Content-Type', metrics.contentType);
        res.end(text);
      },
      (err: unknown) => {
        logger.error(`metrics scrape failed: ${(err as Error).message}`);
        answer(res, err);
      },
    );
  };
}
