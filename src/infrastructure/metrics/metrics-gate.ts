import type { NextFunction, Request, Response } from 'express';
import { AppException, ErrorCode } from '../../common/errors/app.exception';
import { toErrorBody } from '../../common/filters/all-exceptions.filter';
import type { Metrics } from './metrics.service';

/** 404 while metrics are off, 401 without `Authorization: Bearer <METRICS_TOKEN>` (always, when none is set), else none. */
export function refusalOf(metrics: Metrics, authorization: string | undefined): AppException | undefined {
  if (!metrics.enabled) return new AppException(ErrorCode.NOT_FOUND, 'Metrics are not enabled on this instance');
  if (!metrics.acceptsToken(authorization)) return AppException.unauthorized('Missing or wrong metrics token: send Authorization: Bearer <METRICS_TOKEN>');
  return undefined;
}

/** Express middleware on /metrics (every method, every subpath): refuses in the one error shape before routing. */
export function metricsGate(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const refusal = refusalOf(metrics, req.headers.authorization);
    if (!refusal) return next();
    const { body } = toErrorBody(refusal);
    res.status(body.statusCode).json(body);
  };
}
