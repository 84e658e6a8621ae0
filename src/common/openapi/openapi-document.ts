import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_MEANINGS } from './api-errors.decorator';
import { ErrorResponseDto } from './error-response.dto';

/** Set on operations by `@Public()`; finishOpenApiDocument turns it into `security: []`. */
export const PUBLIC_OPERATION = 'x-connecto-public';

const BEARER = 'bearer';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Operation = {
  summary?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }>;
  [PUBLIC_OPERATION]?: boolean;
};

export function openApiConfig(): Omit<OpenAPIObject, 'paths'> {
  const config = new DocumentBuilder()
    .setTitle('Connecto API')
    .setDescription(
      'Group-travel chat: auth, travels, planets, messages, search. Every error has one shape (`ErrorResponseDto`). ' +
        'Every route needs `Authorization: Bearer <accessToken>` unless it says `security: []`. ' +
        'Socket.IO events are described by the AsyncAPI document at `/docs/asyncapi.json`. ' +
        'Any route may answer 503 (with Retry-After) while PostgreSQL is unreachable, overloaded or too slow; retry after Retry-After ' +
        '(sends with the same clientId). At shutdown a node finishes the requests in flight and answers with Connection: close; ' +
        'its sockets get `server:shutdown` { reconnect: true, message, closesWithinMs } and are then closed (reason "transport close"): reconnect.',
    )
    .setVersion('1')
    .addServer('/', 'The host that serves this document (for example http://localhost:3000 with `npm run dev`)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken of POST /api/v1/auth/login, /register or /refresh' }, BEARER)
    .addSecurityRequirements(BEARER)
    .addGlobalResponse({
      status: 503,
      description: 'A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After',
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 5 } } },
    })
    .build();
  config.info.license = { name: 'Proprietary (UNLICENSED): all rights reserved by Connecto' };
  return config;
}

/** The OpenAPI document of the app's routes, as served at /docs/json and committed as openapi/openapi.json. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, openApiConfig(), { extraModels: [ErrorResponseDto] });
  return finishOpenApiDocument(document);
}

/**
 * What every route shares, applied in one place so a new route cannot forget it:
 * - `@Public()` operations get `security: []`; the others inherit the document's bearer requirement;
 * - protected operations answer 401, operations with parameters or a body answer 400;
 * - every 4xx/5xx answer without a schema gets the one error shape;
 * - responses are listed in status order (a stable snapshot).
 */
export function finishOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  const errorSchema = { $ref: getSchemaPath(ErrorResponseDto) };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const isPublic = op[PUBLIC_OPERATION] === true;
      delete op[PUBLIC_OPERATION];
      if (isPublic) op.security = [];
      else if (op.security && op.security.length === 1 && Object.keys(op.security[0]).join() === BEARER) delete op.security;

      const responses = op.responses;
      if (!isPublic && !responses['401']) responses['401'] = { description: ERROR_MEANINGS[401] };
      if ((op.parameters?.length || op.requestBody) && !responses['400']) responses['400'] = { description: ERROR_MEANINGS[400] };
      for (const [code, res] of Object.entries(responses)) {
        if (Number(code) >= 400 && !res.content) res.content = { 'application/json': { schema: errorSchema } };
      }
      op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return document;
}
