import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { Trim } from '../common/validation/validators';

/** A rate limit: `<count>/<duration>` with s, m or h, e.g. `30/60s` (a burst of 30, refilled over 60 s). */
const RATE = /^[1-9][0-9]{0,5}\/[1-9][0-9]{0,4}[smh]$/;
const RATE_MESSAGE = { message: '$property must be <count>/<duration> with s, m or h, e.g. 30/60s' };

/** Values that ship in .env.example; production refuses to start with them. */
export const EXAMPLE_SECRETS = ['change-me-access-secret', 'change-me-refresh-pepper'];

/**
 * Every environment variable the app reads, validated once at boot.
 * Documented one by one in `.env.example`.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Trim() @IsString()
  DATABASE_HOST = '127.0.0.1';

  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  DATABASE_PORT = 5432;

  @IsString()
  DATABASE_USER = 'postgres';

  @IsString()
  DATABASE_PASSWORD = '';

  @Trim() @IsString() @MinLength(1)
  DATABASE_NAME = 'connecto';

  @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  DATABASE_MAX_CONNECTIONS = 20;

  @Type(() => Number) @IsInt() @Min(0) @Max(1000)
  DATABASE_MIN_CONNECTIONS = 5;

  @Type(() => Number) @IsInt() @Min(100)
  DATABASE_CONNECTION_TIMEOUT = 30000;

  @IsString() @MinLength(1)
  DATABASE_APPLICATION_NAME = 'connecto-api';

  @IsIn(['true', 'false'])
  DATABASE_LOGGING = 'false';

  @Trim() @IsString()
  REDIS_HOST = '127.0.0.1';

  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  REDIS_PORT = 6379;

  @IsOptional() @IsString()
  REDIS_PASSWORD?: string;

  @Type(() => Number) @IsInt() @Min(0) @Max(15)
  REDIS_DB = 0;

  @IsString()
  REDIS_KEY_PREFIX = 'connecto:';

  @IsString() @MinLength(16)
  JWT_ACCESS_SECRET = 'change-me-access-secret';

  @Type(() => Number) @IsInt() @Min(30) @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @IsString() @MinLength(16)
  REFRESH_TOKEN_PEPPER = 'change-me-refresh-pepper';

  @Type(() => Number) @IsInt() @Min(60)
  REFRESH_TOKEN_TTL_SECONDS = 2592000;

  /**
   * Two refreshes with the same refresh token within this many seconds (two tabs, a retry) get the
   * same new pair; a reuse after it revokes the token's family.
   */
  @Type(() => Number) @IsInt() @Min(0) @Max(300)
  REFRESH_REUSE_GRACE_SECONDS = 10;

  /**
   * ms a node trusts that an account it checked still exists. Deletions through the API reach
   * every node at once over Redis; this bounds only deletions made elsewhere or during a Redis outage.
   */
  @Type(() => Number) @IsInt() @Min(0) @Max(3600000)
  ACCOUNT_STATUS_TTL_MS = 10000;

  @Type(() => Number) @IsInt() @Min(4) @Max(15)
  BCRYPT_ROUNDS = 10;

  /**
   * Development only: where secrets left at their example values are replaced by random ones,
   * generated at first start (relative paths from the working directory).
   */
  @IsString() @MinLength(1)
  DEV_SECRETS_FILE = '.dev-secrets.json';

  @IsIn(['true', 'false'])
  SWAGGER_ENABLED = 'true';

  /**
   * Deepest nesting of a JSON body or Socket.IO payload (checked after parsing, before any DTO
   * work); deeper is a 400. The API's own bodies are at most 3 levels deep.
   */
  @Type(() => Number) @IsInt() @Min(2) @Max(256)
  JSON_MAX_DEPTH = 16;

  /** Most object members plus array elements in one JSON body or socket payload; more is a 400. */
  @Type(() => Number) @IsInt() @Min(10) @Max(1000000)
  JSON_MAX_VALUES = 1000;

  /** Largest JSON request body; bigger is a 413. */
  @Type(() => Number) @IsInt() @Min(1024) @Max(10485760)
  HTTP_BODY_LIMIT_BYTES = 262144;

  /** Largest request head (request line and headers); bigger is a 431 in the error shape. */
  @Type(() => Number) @IsInt() @Min(4096) @Max(1048576)
  HTTP_MAX_HEADER_BYTES = 16384;

  /** ms a client may take to send its request head; slower connections are closed with a 408. */
  @Type(() => Number) @IsInt() @Min(1000) @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /** ms a client may take to send a whole request (head and body); slower ones get a 408. */
  @Type(() => Number) @IsInt() @Min(1000) @Max(3600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** ms an idle keep-alive connection stays open between requests. */
  @Type(() => Number) @IsInt() @Min(1000) @Max(600000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5000;

  /** Socket.IO fan-out between nodes: Redis 7 sharded pub/sub (SSUBSCRIBE per room) or classic PUBLISH. */
  @IsIn(['sharded', 'classic'])
  SOCKET_ADAPTER = 'sharded';

  /**
   * Largest Socket.IO packet engine.io reads (Socket.IO's own default, 1 MB). Anything under it is
   * validated and answered with an error ack (content is capped at 4,000 characters); a bigger
   * packet closes that one connection (the server stays up).
   */
  @Type(() => Number) @IsInt() @Min(1024) @Max(10485760)
  SOCKET_MAX_PAYLOAD_BYTES = 1000000;

  /** Read events are coalesced in memory and written at most this often (one statement per flush). */
  @Type(() => Number) @IsInt() @Min(5) @Max(10000)
  READ_RECEIPT_FLUSH_MS = 100;

  /** A pending read batch this large is written at once, without waiting for the interval. */
  @Type(() => Number) @IsInt() @Min(1) @Max(50000)
  READ_RECEIPT_MAX_BATCH = 1000;

  /** Rate limits (src/infrastructure/rate-limit): `false` turns every one off. */
  @IsIn(['true', 'false'])
  RATE_LIMIT_ENABLED = 'true';

  /** Every `auth/*` request, per client IP (an IPv6 client by its /64). */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_AUTH_IP = '30/60s';

  /** Failed logins per account (the email), from any IP; a successful login does not count. */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_LOGIN_FAILURES = '10/1h';

  /** Message sends per user, REST and socket together. */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_SEND = '60/60s';

  /** Message edits per user. */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_EDIT = '30/60s';

  /** Read receipts per user, REST and socket together. */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_READ = '300/60s';

  /** Searches per user. */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_SEARCH = '60/60s';

  /** Media uploads per user (the `upload` limit, for the media routes). */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_UPLOAD = '100/10m';

  /** `message:send` and `message:read` events per socket. */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_SOCKET_EVENTS = '300/60s';

  /** `typing:start` / `typing:stop` per socket; the rest of a flood is dropped silently. */
  @Matches(RATE, RATE_MESSAGE)
  RATE_LIMIT_TYPING = '5/1s';

  /** Prometheus metrics (src/infrastructure/metrics): `false` collects nothing and GET /metrics answers 404. */
  @IsIn(['true', 'false'])
  METRICS_ENABLED = 'true';

  /** The bearer token GET /metrics on PORT requires (16+ characters). Unset: every scrape on PORT is refused (401). */
  @ValidateIf((o: EnvironmentVariables) => o.METRICS_TOKEN !== '') @IsString() @MinLength(16)
  METRICS_TOKEN = '';

  /** Also serve GET /metrics, without a token, on this port (0 = off): for a private network or a sidecar only. */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  METRICS_PORT = 0;

  /** The address METRICS_PORT listens on. */
  @Trim() @IsString() @MinLength(1)
  METRICS_HOST = '127.0.0.1';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates `env` (default: process.env) and returns typed values, or throws one readable ConfigError. */
export function validateEnv(env: NodeJS.ProcessEnv = process.env): EnvironmentVariables {
  const known = new EnvironmentVariables();
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(known)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') input[key] = raw;
  }
  if (env.REDIS_PASSWORD) input.REDIS_PASSWORD = env.REDIS_PASSWORD;
  const config = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const problems = errors
      .map((e) => {
        const rules = Object.values(e.constraints ?? {}).map((c) => c.replace(`${e.property} `, ''));
        const shown = /SECRET|PEPPER|PASSWORD|TOKEN/.test(e.property) ? '<redacted>' : JSON.stringify(input[e.property] ?? null);
        return `${e.property}=${shown} (${rules.join(', ')})`;
      })
      .join('; ');
    throw new ConfigError(`Invalid configuration (see .env.example): ${problems}`);
  }
  if (config.DATABASE_MIN_CONNECTIONS > config.DATABASE_MAX_CONNECTIONS) {
    throw new ConfigError(
      `Invalid configuration: DATABASE_MIN_CONNECTIONS (${config.DATABASE_MIN_CONNECTIONS}) exceeds DATABASE_MAX_CONNECTIONS (${config.DATABASE_MAX_CONNECTIONS})`,
    );
  }
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration: HTTP_HEADERS_TIMEOUT_MS (${config.HTTP_HEADERS_TIMEOUT_MS}) exceeds HTTP_REQUEST_TIMEOUT_MS (${config.HTTP_REQUEST_TIMEOUT_MS})`,
    );
  }
  if (config.NODE_ENV === 'production') {
    const weak = (['JWT_ACCESS_SECRET', 'REFRESH_TOKEN_PEPPER'] as const).filter(
      (k) => EXAMPLE_SECRETS.includes(config[k]) || config[k].length < 32,
    );
    if (weak.length > 0) {
      throw new ConfigError(
        `Refusing to start in production: ${weak.join(', ')} still hold the example value or are shorter than 32 characters; set real secrets`,
      );
    }
  }
  return config;
}
