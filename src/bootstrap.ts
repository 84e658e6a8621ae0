import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { assertNoExampleSecrets } from './config/dev-secrets';
import { EnvironmentVariables } from './config/env';
import { preBodyRateLimit } from './infrastructure/rate-limit/rate-limit.interceptor';
import { RateLimiter } from './infrastructure/rate-limit/rate-limiter.service';
import { HardenedExpressAdapter, jsonDepthVerifier, jsonShapeGuard } from './infrastructure/http/http-server';
import { LifecycleService } from './infrastructure/lifecycle/lifecycle.service';
import { createLogger, requestLogger } from './infrastructure/logging/request-logger';
import { PinoNestLogger } from './infrastructure/logging/nest-logger';
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
  const logger = createLogger(env.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), new HardenedExpressAdapter(env), {
    logger: env.LOG_LEVEL === 'silent' ? false : new PinoNestLogger(logger),
    abortOnError: false,
    bodyParser: true,
  });
  // req.ip is the client's address behind a balancer on this host (rate limits key on it).
  app.set('trust proxy', 'loopback');
  // Before any body is read: a client over its auth/* limit is refused on its headers alone.
  app.use(`/${API_PREFIX}/auth`, preBodyRateLimit(app.get(RateLimiter), 'auth'));
  // express.json itself (Nest's useBodyParser drops `verify`): the depth check runs before JSON.parse.
  app.use(json({ limit: env.HTTP_BODY_LIMIT_BYTES, verify: jsonDepthVerifier(env.JSON_MAX_DEPTH) }));
  app.use(jsonShapeGuard({ maxDepth: env.JSON_MAX_DEPTH, maxValues: env.JSON_MAX_VALUES }));
  app.disable('x-powered-by');
  if (env.LOG_LEVEL !== 'silent') app.use(requestLogger(logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks: main.ts drains first (installGracefulShutdown), then closes the app.
  const lifecycle = app.get(LifecycleService);
  lifecycle.attachHttpServer(app.getHttpServer());
  app.useWebSocketAdapter(new RedisIoAdapter(app, app.get(RedisService), env, lifecycle));
  app.enableCors();
  if (env.SWAGGER_ENABLED === 'true') setupSwagger(app);
  return app;
}

export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Connecto API')
    .setDescription(
      'Group-travel chat: auth, travels, planets, messages, search, media. Socket.IO events are described in API.md. ' +
        'Any route may answer 503 (with Retry-After) while PostgreSQL is unreachable, overloaded or too slow; retry after Retry-After ' +
        '(sends with the same clientId). At shutdown a node finishes the requests in flight and answers with Connection: close; ' +
        'its sockets get `server:shutdown` { reconnect: true, message, closesWithinMs } and are then closed (reason "transport close"): reconnect.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addGlobalResponse({
      status: 503,
      description: 'A backing service (PostgreSQL) is down, overloaded or did not answer in time: the one error shape, retry after Retry-After',
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 5 } } },
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
