import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { Trim } from '../common/validation/validators';

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

  /** `pretty`: one readable line per request (for a terminal); `json`: one JSON object per line; `auto`: pretty in development, else json. */
  @IsIn(['auto', 'pretty', 'json'])
  LOG_FORMAT = 'auto';

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

  @Type(() => Number) @IsInt() @Min(4) @Max(15)
  BCRYPT_ROUNDS = 10;

  @IsIn(['true', 'false'])
  SWAGGER_ENABLED = 'true';

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
        const shown = /SECRET|PEPPER|PASSWORD/.test(e.property) ? '<redacted>' : JSON.stringify(input[e.property] ?? null);
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
