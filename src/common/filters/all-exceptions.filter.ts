import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
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

/** Turns anything thrown into API.md's one error shape. */
export function toErrorBody(exception: unknown): { body: ErrorBody; retryAfter?: number; unexpected: boolean } {
  const make = (status: number, message: string, details?: ErrorDetail[]): ErrorBody => ({
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    ...(details && details.length > 0 ? { details } : {}),
  });

  // An AppException thrown inside Express middleware (the body parser's verify) reaches Nest wrapped.
  if (exception instanceof HttpException && exception.cause instanceof Error && exception.cause.cause instanceof AppException) exception = exception.cause.cause;
  if (exception instanceof AppException) {
    return { body: make(exception.status, exception.message, exception.details), retryAfter: exception.retryAfterSeconds, unexpected: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    let message = exception.message;
    if (typeof res === 'object' && res !== null && 'message' in res) {
      const m = (res).message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
    }
    // body-parser errors reach Nest as HttpExceptions with these messages.
    if (status === 400 && /JSON|Unexpected token|position/i.test(message)) message = 'Malformed JSON body';
    return { body: make(status, message), unexpected: false };
  }
  const typeErr = exception as { type?: string; status?: number; statusCode?: number };
  if (typeErr && typeof typeErr === 'object' && typeof typeErr.type === 'string' && typeErr.type.startsWith('entity.')) {
    const status = typeErr.status ?? typeErr.statusCode ?? 400;
    const message = typeErr.type === 'entity.parse.failed' ? 'Malformed JSON body' : typeErr.type === 'entity.too.large' ? 'Request body too large' : 'Unreadable request body';
    return { body: make(status, message), unexpected: false };
  }
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string } | undefined)?.code;
    const known = code ? PG_CLIENT_ERRORS[code] : undefined;
    if (known) return { body: make(known.status, known.message), unexpected: false };
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
    else if (body.statusCode === 503) res.setHeader('Retry-After', '5');
    res.status(body.statusCode).json(body);
  }
}
