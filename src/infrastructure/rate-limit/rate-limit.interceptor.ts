import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { Observable, of, tap } from 'rxjs';
import type { Socket } from 'socket.io';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';
import { AppException, ErrorCode } from '../../common/errors/app.exception';
import { toErrorBody } from '../../common/filters/all-exceptions.filter';
import { RateCheck, RateLimiter } from './rate-limiter.service';
import { countsFailuresOnly, RATE_LIMITS, RateLimitName, RateLimitScope } from './rate-limits';
import { accountSubject, ipSubject } from './subjects';

export const RATE_LIMIT_KEY = 'connecto:rateLimit';

/** Calls already counted: the interceptor runs once per level (class, method) it is applied at. */
const counted = new WeakSet<object>();

/**
 * Applies the `@RateLimit(...)` limits of a route or gateway handler before any other work
 * (after the AuthGuard, before pipes and the handler). REST: a refusal is a 429 through the global
 * filter. Socket.IO: the refusal is the event's ack, `{ ok: false, error: { statusCode: 429, … } }`,
 * and the handler does not run (events without an ack, like typing, are dropped).
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const args = context.getArgs();
    if (counted.has(args)) return next.handle();
    counted.add(args);
    const declared = this.reflector.getAllAndMerge<RateLimitName[]>(RATE_LIMIT_KEY, [context.getClass(), context.getHandler()]);
    const names = context.getType() === 'http' ? notPreChecked(context.switchToHttp().getRequest(), declared) : declared;
    const checks: RateCheck[] = [];
    for (const name of new Set(names)) {
      const subject = subjectOf(context, RATE_LIMITS[name].scope);
      if (subject !== undefined) checks.push({ name, subject });
    }
    try {
      await this.limiter.take(checks);
    } catch (err) {
      if (context.getType() !== 'ws') throw err;
      return of(errorAck(err));
    }
    const failuresOnly = checks.filter((c) => countsFailuresOnly(c.name));
    if (failuresOnly.length === 0) return next.handle();
    const giveBack = () => void this.limiter.giveBack(failuresOnly);
    return next.handle().pipe(
      tap({
        next: giveBack,
        error: (err: unknown) => {
          if (!(err instanceof AppException && err.code === ErrorCode.UNAUTHORIZED)) giveBack();
        },
      }),
    );
  }
}

function subjectOf(context: ExecutionContext, scope: RateLimitScope): string | number | undefined {
  if (context.getType() === 'ws') {
    const socket = context.switchToWs().getClient<Socket<never, never, never, { user?: CurrentUserData }>>();
    if (scope === 'socket') return socket.id;
    if (scope === 'user') return socket.data.user?.id ?? ipSubject(socket.handshake.address);
    if (scope === 'ip') return ipSubject(socket.handshake.address);
    return undefined;
  }
  const req = context.switchToHttp().getRequest<Request & { user?: CurrentUserData }>();
  switch (scope) {
    case 'ip':
      return ipSubject(req.ip);
    case 'user':
      return req.user?.id ?? ipSubject(req.ip);
    case 'account':
      return accountSubject((req.body as { email?: unknown } | undefined)?.email);
    case 'socket':
      return undefined;
  }
}

/** The gateway's error ack, with the seconds to wait (as Retry-After says over REST). */
function errorAck(err: unknown) {
  const { body, retryAfter } = toErrorBody(err);
  return {
    ok: false,
    error: { statusCode: body.statusCode, error: body.error, message: body.message, ...(retryAfter !== undefined ? { retryAfter } : {}) },
  };
}

/** Limits a request already took before its body was read (see `preBodyRateLimit`). */
const PRE_CHECKED = Symbol('rateLimitPreChecked');
type PreChecked = { [PRE_CHECKED]?: Set<RateLimitName> };

/** The names of `names` this request still has to take (those not taken before its body was read). */
export function notPreChecked(req: unknown, names: RateLimitName[]): RateLimitName[] {
  const done = (req as PreChecked)[PRE_CHECKED];
  return done ? names.filter((n) => !done.has(n)) : names;
}

/**
 * Express middleware, mounted before the body parsers: takes an IP-scoped limit on the request
 * line and headers alone, so a refused client (a flood of 256 KB bodies at `auth/*`) costs a Redis
 * round trip, not a body read. The refusal closes the connection without reading the body.
 */
export function preBodyRateLimit(limiter: RateLimiter, name: RateLimitName) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const subject = ipSubject(req.ip);
    if (subject === undefined) return next();
    limiter.take([{ name, subject }]).then(
      () => {
        ((req as PreChecked)[PRE_CHECKED] ??= new Set()).add(name);
        next();
      },
      (err: unknown) => {
        const { body, retryAfter } = toErrorBody(err);
        if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
        res.setHeader('Connection', 'close');
        res.status(body.statusCode).json(body);
      },
    );
  };
}
