import type { IncomingMessage } from 'node:http';
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { serveAsyncApi } from './common/openapi/asyncapi-route';
import { createOpenApiDocument } from './common/openapi/openapi-document';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { assertNoExampleSecrets } from './config/dev-secrets';
import { EnvironmentVariables } from './config/env';
import { installMetrics } from './infrastructure/metrics/metrics.module';
import { installAdmin } from './modules/admin/admin-routes';
import { preBodyRateLimit } from './infrastructure/rate-limit/rate-limit.interceptor';
import { RateLimiter } from './infrastructure/rate-limit/rate-limiter.service';
import { HardenedExpressAdapter, jsonDepthVerifier, jsonShapeGuard } from './infrastructure/http/http-server';
import { LifecycleService } from './infrastructure/lifecycle/lifecycle.service';
import { createLogger, requestLogger, resolveLogFormat } from './infrastructure/logging/request-logger';
import { BOOT_CONTEXTS, PinoNestLogger } from './infrastructure/logging/nest-logger';
import { RedisService } from './infrastructure/redis/redis.service';
import { RedisIoAdapter } from './infrastructure/socket/redis-io.adapter';

export const API_PREFIX = 'api/v1';

/**
 * Accept-queue length for `listen` (Node's default is 511; Linux caps it at net.core.somaxconn).
 * Socket.IO clients reconnect in bursts (a deploy, a network blip): with 511 a burst overflowed the
 * queue while the event loop was busy with handshakes, and clients saw "websocket error".
 */
export const LISTEN_BACKLOG = 4096;

/** `app.listen` with LISTEN_BACKLOG: Nest types (port, host, callback) but hands every argument to http.Server#listen(port, host, backlog, cb). */
export function listenWithBacklog(app: INestApplication, port: number, host: string, backlog = LISTEN_BACKLOG): Promise<unknown> {
  const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<unknown>;
  return listen(port, host, backlog);
}

/** Builds the configured app (not listening): used by main.ts, the dev start and e2e tests alike. */
export async function createApp(env: EnvironmentVariables): Promise<INestApplication> {
  assertNoExampleSecrets(env);
  const logFormat = resolveLogFormat(env);
  const logger = createLogger(env.LOG_LEVEL, logFormat);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), new HardenedExpressAdapter(env), {
    logger: env.LOG_LEVEL === 'silent' ? false : new PinoNestLogger(logger, logFormat === 'pretty' ? BOOT_CONTEXTS : []),
    abortOnError: false,
    bodyParser: true,
  });
  // req.ip is the client's address behind a balancer on this host (rate limits key on it).
  app.set('trust proxy', 'loopback');
  // First: GET /metrics (its own token, never rate limited) and the timing of every other request.
  installMetrics(app);
  // Then the ops pages (/admin: dashboard, slow queries), behind ADMIN_TOKEN, outside the HTTP series.
  installAdmin(app);
  // Before any body is read: a client over its auth/* limit is refused on its headers alone.
  app.use(`/${API_PREFIX}/auth`, preBodyRateLimit(app.get(RateLimiter), 'auth'));
  // express.json itself (Nest's useBodyParser drops `verify`): the depth check runs before JSON.parse.
  const depthCheck = jsonDepthVerifier(env.JSON_MAX_DEPTH);
  // Webhooks are signed over their raw bytes (Cloudflare Stream): those requests keep them as req.rawBody.
  app.use(
    json({
      limit: env.HTTP_BODY_LIMIT_BYTES,
      verify: (req: IncomingMessage & { rawBody?: Buffer }, res: unknown, buf: Buffer) => {
        depthCheck(req, res, buf);
        if (req.url?.startsWith(`/${API_PREFIX}/media/webhooks/`)) req.rawBody = buf;
      },
    }),
  );
  app.use(jsonShapeGuard({ maxDepth: env.JSON_MAX_DEPTH, maxValues: env.JSON_MAX_VALUES }));
  app.disable('x-powered-by');
  if (env.LOG_LEVEL !== 'silent') app.use(requestLogger(logger));
  applyRoutePrefix(app);
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks: main.ts drains first (installGracefulShutdown), then closes the app.
  const lifecycle = app.get(LifecycleService);
  lifecycle.attachHttpServer(app.getHttpServer());
  app.useWebSocketAdapter(new RedisIoAdapter(app, app.get(RedisService), env, lifecycle));
  app.enableCors();
  if (env.SWAGGER_ENABLED === 'true') setupSwagger(app);
  return app;
}

/** Every route but health is under /api/v1. */
function applyRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready'] });
}

/** /docs (Swagger UI), /docs/json (the OpenAPI document, as openapi/openapi.json) and /docs/asyncapi.json (the Socket.IO events). */
export function setupSwagger(app: INestApplication): void {
  serveAsyncApi(app);
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs/json' });
}

/**
 * The app's routes without its services: Nest's preview mode builds the module graph but creates
 * no provider, so no PostgreSQL or Redis connection is made. For generating the OpenAPI document.
 */
export async function createDocumentApp(env: EnvironmentVariables): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  applyRoutePrefix(app);
  return app;
}
