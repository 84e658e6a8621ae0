import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createServer, RequestListener, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppException } from '../../common/errors/app.exception';
import { toErrorBody } from '../../common/filters/all-exceptions.filter';
import { JsonLimits, jsonShapeProblem, rawJsonTooDeep } from '../../common/validation/json-limits';
import type { EnvironmentVariables } from '../../config/env';

export type HttpLimits = Pick<
  EnvironmentVariables,
  'HTTP_MAX_HEADER_BYTES' | 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS'
>;

/**
 * Express on a Node HTTP server with short, explicit limits instead of Node's defaults (a whole
 * request may take 300 s, headers 60 s, checked only every 30 s): a slow client holds a
 * connection for at most HTTP_REQUEST_TIMEOUT_MS. What Node refuses before Express sees a request
 * (a head over HTTP_MAX_HEADER_BYTES, a timeout, a malformed request line) is answered in the
 * API's one error shape instead of Node's bare status line.
 */
export class HardenedExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: HttpLimits) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions) {
      super.initHttpServer(options);
      return;
    }
    const server = createServer(
      {
        maxHeaderSize: this.limits.HTTP_MAX_HEADER_BYTES,
        headersTimeout: this.limits.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeout: this.limits.HTTP_REQUEST_TIMEOUT_MS,
        keepAliveTimeout: this.limits.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        connectionsCheckingInterval: Math.min(1000, this.limits.HTTP_HEADERS_TIMEOUT_MS),
      },
      this.getInstance<RequestListener>(),
    );
    server.on('clientError', answerClientError);
    this.setHttpServer(server);
  }
}

const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'Request headers too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'Request not received in time' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, message: 'Request headers not received in time' },
};

/** Node's 'clientError': there is no request or response object, so the answer is written raw. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }): void {
  if (err.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, message } = CLIENT_ERRORS[err.code ?? ''] ?? { status: 400, message: 'Malformed HTTP request' };
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * body-parser's `verify` hook, run on the raw bytes before JSON.parse: a body nested deeper than
 * JSON_MAX_DEPTH is refused there (400 naming `body`), at the cost of one pass over the bytes.
 */
export function jsonDepthVerifier(maxDepth: number) {
  return (_req: unknown, _res: unknown, buf: Buffer): void => {
    if (!rawJsonTooDeep(buf, maxDepth)) return;
    const refusal = AppException.badRequest('body', `is nested deeper than ${maxDepth} levels`);
    // Shaped as an http-errors error, so Express and Nest hand it on as a 400; the filter answers with its cause.
    throw Object.assign(new Error(refusal.message, { cause: refusal }), {
      status: 400,
      statusCode: 400,
      expose: true,
      type: 'entity.too.deep',
    });
  };
}

/**
 * Express middleware after the body parsers: a body nested deeper than JSON_MAX_DEPTH or holding
 * more than JSON_MAX_VALUES values is a 400 before any DTO work starts.
 */
export function jsonShapeGuard(limits: JsonLimits) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const problem = jsonShapeProblem(req.body, limits);
    if (!problem) return next();
    const { body } = toErrorBody(AppException.badRequest('body', problem));
    res.status(body.statusCode).setHeader('Connection', 'close').json(body);
  };
}
