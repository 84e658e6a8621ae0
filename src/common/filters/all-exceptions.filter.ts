import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { databaseTrouble, TROUBLE_MESSAGE } from '../../infrastructure/database/database-errors';
import { AppException, ErrorDetail } from '../errors/app.exception';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: ErrorDetail[];
}

/** PostgreSQL error codes that are the caller's fault, not ours. */
const PG_CLIENT_ERRORS: Record<string, { status: HttpStatus; message: string }> = {
  '23505': { status: HttpStatus.CONFLICT, message: 'Already exists' },
  '23503': { status: HttpStatus.NOT_FOUND, message: 'A referenced resource does not exist' },
  '22P02': { status: HttpStatus.BAD_REQUEST, message: 'Malformed value' },
  '22003': { status: HttpStatus.BAD_REQUEST, message: 'Numeric value out of range' },
  '22001': { status: HttpStatus.BAD_REQUEST, message: 'Value too long' },
  '22021': { status: HttpStatus.BAD_REQUEST, message: 'Invalid character in a value' },
  '23502': { status: HttpStatus.BAD_REQUEST, message: 'A required value is missing' },
};

/** Seconds a client is told to wait (Retry-After) when a backing service is down or timed out. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * Database trouble is logged at most once per interval (with how many requests it hit since),
 * not once per failed request: an outage would otherwise flood the log.
 */
const troubleLog = { logger: new Logger('Database'), last: 0, suppressed: 0, intervalMs: 5000 };

function logTrouble(kind: string, exception: unknown): void {
  const now = Date.now();
  if (now - troubleLog.last < troubleLog.intervalMs) {
    troubleLog.suppressed += 1;
    return;
  }
  const more = troubleLog.suppressed > 0 ? ` (and ${troubleLog.suppressed} more since the last report)` : '';
  troubleLog.last = now;
  troubleLog.suppressed = 0;
  troubleLog.logger.warn(`request answered 503, database ${kind}: ${(exception as Error)?.message ?? String(exception)}${more}`);
}

/** ioredis' errors for a command that could not reach Redis (callers that degrade catch them first). */
function isRedisUnavailable(exception: unknown): boolean {
  const e = exception as { name?: unknown; message?: unknown };
  return e?.name === 'MaxRetriesPerRequestError' || e?.message === 'Connection is closed.';
}

/**
 * Turns anything thrown into API.md's one error shape. Serves REST (the filter below) and socket
 * acks alike; every 503 carries `retryAfter` (seconds), which REST sends as the Retry-After header.
 */
export function toErrorBody(exception: unknown): { body: ErrorBody; retryAfter?: number; unexpected: boolean } {
  const result = toErrorBodyOf(exception);
  if (result.body.statusCode === 503 && result.retryAfter === undefined) result.retryAfter = UNAVAILABLE_RETRY_AFTER_SECONDS;
  return result;
}

function toErrorBodyOf(exception: unknown): { body: ErrorBody; retryAfter?: number; unexpected: boolean } {
  const make = (status: number, message: string, details?: ErrorDetail[]): ErrorBody => ({
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    ...(details && details.length > 0 ? { details } : {}),
  });

  // An AppException thrown inside Express middleware (the body parser's verify) reaches Nest wrapped.
  if (exception instanceof HttpException && exception.cause instanceof Error && exception.cause.cause instanceof AppException)
    exception = exception.cause.cause;
  if (exception instanceof AppException) {
    return {
      body: make(exception.status, exception.message, exception.details),
      retryAfter: exception.retryAfterSeconds,
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    let message = exception.message;
    if (typeof res === 'object' && res !== null && 'message' in res) {
      const m = res.message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
    }
    // body-parser errors reach Nest as HttpExceptions with these messages.
    if (status === 400 && /JSON|Unexpected token|position/i.test(message)) message = 'Malformed JSON body';
    return { body: make(status, message), unexpected: false };
  }
  const typeErr = exception as { type?: string; status?: number; statusCode?: number };
  if (typeErr && typeof typeErr === 'object' && typeof typeErr.type === 'string' && typeErr.type.startsWith('entity.')) {
    const status = typeErr.status ?? typeErr.statusCode ?? 400;
    const message =
      typeErr.type === 'entity.parse.failed'
        ? 'Malformed JSON body'
        : typeErr.type === 'entity.too.large'
          ? 'Request body too large'
          : 'Unreadable request body';
    return { body: make(status, message), unexpected: false };
  }
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string } | undefined)?.code;
    const known = code ? PG_CLIENT_ERRORS[code] : undefined;
    if (known) return { body: make(known.status, known.message), unexpected: false };
  }
  // Connection refused, pool exhausted, server gone mid-query, statement or query timeout.
  const trouble = databaseTrouble(exception);
  if (trouble) {
    logTrouble(trouble, exception);
    return {
      body: make(HttpStatus.SERVICE_UNAVAILABLE, TROUBLE_MESSAGE[trouble]),
      retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
      unexpected: false,
    };
  }
  if (isRedisUnavailable(exception)) {
    return {
      body: make(HttpStatus.SERVICE_UNAVAILABLE, 'A backing service is unavailable: try again shortly'),
      retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
      unexpected: false,
    };
  }
  return { body: make(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error'), unexpected: true };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const { body, retryAfter, unexpected } = toErrorBody(exception);
    if (unexpected) this.logger.error(`${req.method} ${req.originalUrl} failed`, (exception as Error)?.stack);
    if (res.headersSent) return;
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(body.statusCode).json(body);
  }
}
