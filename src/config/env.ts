import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { Trim } from '../common/validation/validators';

/** Values that ship in .env.example; production refuses to start with them. */
export const EXAMPLE_SECRETS = ['change-me-access-secret', 'change-me-refresh-pepper', 'change-me-storage-signing-secret'];

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

  // --- Media (issue 9) ---

  /** Where media bytes live: `local` (files under STORAGE_LOCAL_DIR, URLs served by the app) or `s3` (R2 or any S3-compatible server). Default: s3 when S3_BUCKET is set, else local. */
  @IsOptional() @IsIn(['local', 's3'])
  STORAGE_DRIVER?: 'local' | 's3';

  @Trim() @IsString() @MinLength(1)
  STORAGE_LOCAL_DIR = './data/media';

  /** HMAC key of the local driver's signed upload and download URLs. */
  @IsString() @MinLength(16)
  STORAGE_SIGNING_SECRET = 'change-me-storage-signing-secret';

  /** Absolute base of URLs the app hands out for itself (local driver), e.g. https://api.example.com. Default: the address the app listens on. */
  @IsOptional() @Trim() @IsString()
  PUBLIC_BASE_URL?: string;

  @IsOptional() @Trim() @IsString()
  S3_BUCKET?: string;

  /** S3-compatible endpoint (R2: https://<account>.r2.cloudflarestorage.com); empty for AWS S3. */
  @IsOptional() @Trim() @IsString()
  S3_ENDPOINT?: string;

  @Trim() @IsString() @MinLength(1)
  S3_REGION = 'auto';

  @IsOptional() @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional() @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  @IsIn(['true', 'false'])
  S3_FORCE_PATH_STYLE = 'false';

  /** Lifetime of an upload URL (presigned PUT), in seconds. */
  @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  MEDIA_UPLOAD_URL_TTL_SECONDS = 600;

  /** Lifetime of a download URL handed to clients, in seconds. */
  @Type(() => Number) @IsInt() @Min(10) @Max(86400)
  MEDIA_DOWNLOAD_URL_TTL_SECONDS = 300;

  /** Whether this node works media jobs (any node can; all share the queue in Redis). */
  @IsIn(['true', 'false'])
  MEDIA_WORKER_ENABLED = 'true';

  /** Media jobs one node works at once (image decoding is CPU-bound; keep it under the core count so chat keeps its share). */
  @Type(() => Number) @IsInt() @Min(1) @Max(32)
  MEDIA_WORKER_CONCURRENCY = 1;

  /** Attempts per media job before the media is marked FAILED (retries back off exponentially). */
  @Type(() => Number) @IsInt() @Min(1) @Max(20)
  MEDIA_JOB_ATTEMPTS = 3;

  /** A worker's lock on a job, renewed while it works; a job whose node died is taken over by another node after about this long. */
  @Type(() => Number) @IsInt() @Min(1) @Max(600)
  MEDIA_JOB_LOCK_SECONDS = 30;
}

/** The storage driver in force: STORAGE_DRIVER, else s3 when a bucket is configured, else local. */
export function storageDriverOf(env: EnvironmentVariables): 'local' | 's3' {
  return env.STORAGE_DRIVER ?? (env.S3_BUCKET ? 's3' : 'local');
}

/** Variables without a default (absent from `new EnvironmentVariables()`), read when set. */
export const OPTIONAL_ENV_KEYS = ['REDIS_PASSWORD', 'STORAGE_DRIVER', 'PUBLIC_BASE_URL', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

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
  for (const key of OPTIONAL_ENV_KEYS) if (env[key]) input[key] = env[key];
  const config = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const problems = errors
      .map((e) => {
        const rules = Object.values(e.constraints ?? {}).map((c) => c.replace(`${e.property} `, ''));
        const shown = /SECRET|PEPPER|PASSWORD|ACCESS_KEY/.test(e.property) ? '<redacted>' : JSON.stringify(input[e.property] ?? null);
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
  if (storageDriverOf(config) === 's3' && !config.S3_BUCKET) {
    throw new ConfigError('Invalid configuration: STORAGE_DRIVER=s3 needs S3_BUCKET (and S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY for R2)');
  }
  if (config.PUBLIC_BASE_URL && !/^https?:\/\/[^/]+/.test(config.PUBLIC_BASE_URL)) {
    throw new ConfigError(`Invalid configuration: PUBLIC_BASE_URL=${JSON.stringify(config.PUBLIC_BASE_URL)} must be an absolute http(s) URL`);
  }
  if (config.NODE_ENV === 'production') {
    const secrets = storageDriverOf(config) === 'local' ? (['JWT_ACCESS_SECRET', 'REFRESH_TOKEN_PEPPER', 'STORAGE_SIGNING_SECRET'] as const) : (['JWT_ACCESS_SECRET', 'REFRESH_TOKEN_PEPPER'] as const);
    const weak = secrets.filter(
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
