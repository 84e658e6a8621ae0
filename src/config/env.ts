import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { Trim } from '../common/validation/validators';

/** A rate limit: `<count>/<duration>` with s, m or h, e.g. `30/60s` (a burst of 30, refilled over 60 s). */
const RATE = /^[1-9][0-9]{0,5}\/[1-9][0-9]{0,4}[smh]$/;
const RATE_MESSAGE = { message: '$property must be <count>/<duration> with s, m or h, e.g. 30/60s' };

/** Values that ship in .env.example; production refuses to start with them. */
export const EXAMPLE_SECRETS = ['change-me-access-secret', 'change-me-refresh-pepper', 'change-me-storage-signing-secret'];

/**
 * Every environment variable the app reads, validated once at boot.
 * Documented one by one in `.env.example`.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `pretty`: one readable line per request (for a terminal); `json`: one JSON object per line; `auto`: pretty in development, else json. */
  @IsIn(['auto', 'pretty', 'json'])
  LOG_FORMAT = 'auto';

  @Trim()
  @IsString()
  DATABASE_HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  DATABASE_PORT = 5432;

  @IsString()
  DATABASE_USER = 'postgres';

  @IsString()
  DATABASE_PASSWORD = '';

  @Trim()
  @IsString()
  @MinLength(1)
  DATABASE_NAME = 'connecto';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_MAX_CONNECTIONS = 20;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  DATABASE_MIN_CONNECTIONS = 5;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  DATABASE_CONNECTION_TIMEOUT = 30000;

  /**
   * How long one request waits to get a pooled connection (idle, newly opened or freed) before it
   * is answered 503. DATABASE_CONNECTION_TIMEOUT stays the pool's bound for opening a connection.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600000)
  DATABASE_ACQUIRE_TIMEOUT = 3000;

  /** Server-side statement_timeout of the app's sessions, in ms (0: none); a cancelled statement is a 503. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600000)
  DATABASE_STATEMENT_TIMEOUT = 5000;

  /**
   * Client-side bound (node-postgres query_timeout), in ms (0: none): a query the server does not
   * answer at all (frozen host, cut network) fails after this and its connection is dropped.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600000)
  DATABASE_QUERY_TIMEOUT = 6000;

  @IsString()
  @MinLength(1)
  DATABASE_APPLICATION_NAME = 'connecto-api';

  @IsIn(['true', 'false'])
  DATABASE_LOGGING = 'false';

  /**
   * Streaming read replicas, comma-separated `postgres://user:pass@host:port/db` URLs (empty: none).
   * Only reads that tolerate lag go there (see src/infrastructure/database/read-replicas.ts).
   */
  @Trim()
  @IsString()
  @Matches(/^$|^postgres(ql)?:\/\/[^,\s]+(\s*,\s*postgres(ql)?:\/\/[^,\s]+)*$/, {
    message: 'must be empty or comma-separated postgres:// URLs',
  })
  DATABASE_REPLICA_URLS = '';

  /** A replica further behind the primary than this (ms) gets no reads until it catches up. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600000)
  DATABASE_REPLICA_MAX_LAG_MS = 2000;

  /** How often (ms) each replica's replay position is compared with the primary's. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60000)
  DATABASE_REPLICA_CHECK_INTERVAL_MS = 500;

  @Trim()
  @IsString()
  REDIS_HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  REDIS_PORT = 6379;

  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(15)
  REDIS_DB = 0;

  @IsString()
  REDIS_KEY_PREFIX = 'connecto:';

  @IsString()
  @MinLength(16)
  JWT_ACCESS_SECRET = 'change-me-access-secret';

  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @IsString()
  @MinLength(16)
  REFRESH_TOKEN_PEPPER = 'change-me-refresh-pepper';

  @Type(() => Number)
  @IsInt()
  @Min(60)
  REFRESH_TOKEN_TTL_SECONDS = 2592000;

  /**
   * Two refreshes with the same refresh token within this many seconds (two tabs, a retry) get the
   * same new pair; a reuse after it revokes the token's family.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  REFRESH_REUSE_GRACE_SECONDS = 10;

  /**
   * ms a node trusts that an account it checked still exists. Deletions through the API reach
   * every node at once over Redis; this bounds only deletions made elsewhere or during a Redis outage.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600000)
  ACCOUNT_STATUS_TTL_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS = 10;

  /**
   * Development only: where secrets left at their example values are replaced by random ones,
   * generated at first start (relative paths from the working directory).
   */
  @IsString()
  @MinLength(1)
  DEV_SECRETS_FILE = '.dev-secrets.json';

  @IsIn(['true', 'false'])
  SWAGGER_ENABLED = 'true';

  /**
   * Deepest nesting of a JSON body or Socket.IO payload (checked after parsing, before any DTO
   * work); deeper is a 400. The API's own bodies are at most 3 levels deep.
   */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(256)
  JSON_MAX_DEPTH = 16;

  /** Most object members plus array elements in one JSON body or socket payload; more is a 400. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(1000000)
  JSON_MAX_VALUES = 1000;

  /** Largest JSON request body; bigger is a 413. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10485760)
  HTTP_BODY_LIMIT_BYTES = 262144;

  /** Largest request head (request line and headers); bigger is a 431 in the error shape. */
  @Type(() => Number)
  @IsInt()
  @Min(4096)
  @Max(1048576)
  HTTP_MAX_HEADER_BYTES = 16384;

  /** ms a client may take to send its request head; slower connections are closed with a 408. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /** ms a client may take to send a whole request (head and body); slower ones get a 408. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** ms an idle keep-alive connection stays open between requests. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5000;

  /** Socket.IO fan-out between nodes: Redis 7 sharded pub/sub (SSUBSCRIBE per room) or classic PUBLISH. */
  @IsIn(['sharded', 'classic'])
  SOCKET_ADAPTER = 'sharded';

  /**
   * Largest Socket.IO packet engine.io reads (Socket.IO's own default, 1 MB). Anything under it is
   * validated and answered with an error ack (content is capped at 4,000 characters); a bigger
   * packet closes that one connection (the server stays up).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10485760)
  SOCKET_MAX_PAYLOAD_BYTES = 1000000;

  /** Read events are coalesced in memory and written at most this often (one statement per flush). */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(10000)
  READ_RECEIPT_FLUSH_MS = 100;

  /** A pending read batch this large is written at once, without waiting for the interval. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50000)
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

  /**
   * After SIGTERM / SIGINT: readiness answers 503 at once, and the listener keeps accepting new
   * connections for this long (ms) so a load balancer sees the 503 and moves traffic first.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120000)
  SHUTDOWN_DELAY_MS = 0;

  /** Then in-flight requests and socket events get this long (ms) to finish before the rest is cut. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600000)
  SHUTDOWN_DRAIN_TIMEOUT_MS = 10000;

  // --- Media (issue 9) ---

  /** Where media bytes live: `local` (files under STORAGE_LOCAL_DIR, URLs served by the app) or `s3` (R2 or any S3-compatible server). Default: s3 when S3_BUCKET is set, else local. */
  @IsOptional()
  @IsIn(['local', 's3'])
  STORAGE_DRIVER?: 'local' | 's3';

  @Trim()
  @IsString()
  @MinLength(1)
  STORAGE_LOCAL_DIR = './data/media';

  /** HMAC key of the local driver's signed upload and download URLs. */
  @IsString()
  @MinLength(16)
  STORAGE_SIGNING_SECRET = 'change-me-storage-signing-secret';

  /** Absolute base of URLs the app hands out for itself (local driver), e.g. https://api.example.com. Default: the address the app listens on. */
  @IsOptional()
  @Trim()
  @IsString()
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @Trim()
  @IsString()
  S3_BUCKET?: string;

  /** S3-compatible endpoint (R2: https://<account>.r2.cloudflarestorage.com); empty for AWS S3. */
  @IsOptional()
  @Trim()
  @IsString()
  S3_ENDPOINT?: string;

  @Trim()
  @IsString()
  @MinLength(1)
  S3_REGION = 'auto';

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  @IsIn(['true', 'false'])
  S3_FORCE_PATH_STYLE = 'false';

  /** Lifetime of an upload URL (presigned PUT), in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600)
  MEDIA_UPLOAD_URL_TTL_SECONDS = 600;

  /** Lifetime of a download URL handed to clients, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(86400)
  MEDIA_DOWNLOAD_URL_TTL_SECONDS = 300;

  /** Whether this node works media jobs (any node can; all share the queue in Redis). */
  @IsIn(['true', 'false'])
  MEDIA_WORKER_ENABLED = 'true';

  /** Media jobs one node works at once (image decoding is CPU-bound; keep it under the core count so chat keeps its share). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(32)
  MEDIA_WORKER_CONCURRENCY = 1;

  /** Attempts per media job before the media is marked FAILED (retries back off exponentially). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  MEDIA_JOB_ATTEMPTS = 3;

  /** A worker's lock on a job, renewed while it works; a job whose node died is taken over by another node after about this long. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600)
  MEDIA_JOB_LOCK_SECONDS = 30;

  // --- Cloudflare Images and Stream (issue 9); both off unless CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are set ---

  /** The Cloudflare account whose Images and Stream process media. Unset: images get local variants (sharp), videos are served as uploaded. */
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^[A-Za-z0-9]{1,64}$/, { message: 'CLOUDFLARE_ACCOUNT_ID must be the account id (letters and digits)' })
  CLOUDFLARE_ACCOUNT_ID?: string;

  /** API token with Images Write and Stream Write. */
  @IsOptional()
  @IsString()
  @MinLength(8)
  CLOUDFLARE_API_TOKEN?: string;

  /** Base of the Cloudflare API (tests point it at a fake). */
  @Trim()
  @Matches(/^https?:\/\/[^/]+/, { message: 'CLOUDFLARE_API_BASE_URL must be an absolute http(s) URL' })
  CLOUDFLARE_API_BASE_URL = 'https://api.cloudflare.com/client/v4';

  /** Use Cloudflare Images for image variants when the account is configured. */
  @IsIn(['true', 'false'])
  CLOUDFLARE_IMAGES_ENABLED = 'true';

  /** Use Cloudflare Stream for videos (TUS direct creator uploads, copies of stored originals) when the account is configured. */
  @IsIn(['true', 'false'])
  CLOUDFLARE_STREAM_ENABLED = 'true';

  /** Images' URL signing key: when set, images are uploaded with requireSignedURLs and every variant URL handed out is signed (exp + sig). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  CLOUDFLARE_IMAGES_SIGNING_KEY?: string;

  /** Stream's webhook secret (the `secret` PUT /stream/webhook answers). Unset: webhooks are refused and readiness comes by polling only. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  CLOUDFLARE_STREAM_WEBHOOK_SECRET?: string;

  /** A webhook whose signed time is further than this from now (seconds) is refused as a replay. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600)
  CLOUDFLARE_WEBHOOK_TOLERANCE_SECONDS = 300;

  /** Cloudflare API calls allowed per window for the token, counted across all nodes in Redis (Cloudflare: 1,200 per 5 minutes, then 429 for 5 minutes). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  CLOUDFLARE_RATE_LIMIT_REQUESTS = 1200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  CLOUDFLARE_RATE_LIMIT_WINDOW_SECONDS = 300;

  /** One Cloudflare API call's timeout (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120000)
  CLOUDFLARE_TIMEOUT_MS = 15000;

  /** Retries of a call after a 429, a 5xx, a timeout or a network error, before processing falls back to local. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  CLOUDFLARE_RETRIES = 3;

  /** First retry delay (ms); doubles each retry, with full jitter. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60000)
  CLOUDFLARE_RETRY_BASE_MS = 500;

  /** Longest a call waits for Retry-After or the shared limit (seconds); a longer wait gives up (fallback) instead. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600)
  CLOUDFLARE_MAX_WAIT_SECONDS = 30;

  /** Stream status polling while no webhook has come (seconds between polls). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  CLOUDFLARE_STREAM_POLL_SECONDS = 30;

  /** A Stream video not ready this long after completion ends FAILED (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(86400)
  CLOUDFLARE_STREAM_READY_TIMEOUT_SECONDS = 3600;

  /** Longest video a Stream direct upload reserves (seconds; Stream's maxDurationSeconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(21600)
  CLOUDFLARE_STREAM_MAX_DURATION_SECONDS = 600;

  /** ffmpeg for poster frames of videos served without Stream; `off` (or a missing binary) serves them without a poster. */
  @Trim()
  @IsString()
  @MinLength(1)
  MEDIA_FFMPEG_PATH = 'ffmpeg';

  /** Prometheus metrics (src/infrastructure/metrics): `false` collects nothing and GET /metrics answers 404. */
  @IsIn(['true', 'false'])
  METRICS_ENABLED = 'true';

  /** The bearer token GET /metrics on PORT requires (16+ characters). Unset: every scrape on PORT is refused (401). */
  @ValidateIf((o: EnvironmentVariables) => o.METRICS_TOKEN !== '')
  @IsString()
  @MinLength(16)
  METRICS_TOKEN = '';

  /** Also serve GET /metrics, without a token, on this port (0 = off): for a private network or a sidecar only. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT = 0;

  /** The address METRICS_PORT listens on. */
  @Trim()
  @IsString()
  @MinLength(1)
  METRICS_HOST = '127.0.0.1';

  /** The token of the ops pages under /admin (dashboard, slow queries), 16+ characters. Unset: every /admin request is refused (401). */
  @ValidateIf((o: EnvironmentVariables) => o.ADMIN_TOKEN !== '')
  @IsString()
  @MinLength(16)
  ADMIN_TOKEN = '';

  /** Share of HTTP requests (0-1) whose SQL is recorded for the query-pattern report (GET /admin/query-patterns); 0 = off. */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  QUERY_PATTERN_SAMPLE_RATE = 0.1;

  /** Seconds between two samples of the dashboard's history (it keeps the last 180 samples). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  DASHBOARD_SAMPLE_SECONDS = 5;

  /** The two-tier cache (src/infrastructure/cache): `false` runs every cached method uncached (the benchmark's baseline). */
  @IsIn(['true', 'false'])
  CACHE_ENABLED = 'true';

  /** Entries a node keeps in its in-process L1 (least recently used dropped first). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000000)
  CACHE_L1_MAX_ENTRIES = 10000;

  /**
   * While Redis or the cache bus is down no invalidation reaches this node, so L1 serves an entry
   * only this many ms after the node stored it (a removed member keeps access at most this long).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60000)
  CACHE_L1_OUTAGE_TTL_MS = 1000;

  /** Bound of each cache read or write to Redis, in ms: a slower Redis is a miss (invalidations wait 10× this). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  CACHE_REDIS_TIMEOUT_MS = 100;

  /** With a stale value in grace, a loader slower than this many ms is not waited for: the stale value is served. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60000)
  CACHE_SOFT_TIMEOUT_MS = 500;
}

/** The storage driver in force: STORAGE_DRIVER, else s3 when a bucket is configured, else local. */
export function storageDriverOf(env: EnvironmentVariables): 'local' | 's3' {
  return env.STORAGE_DRIVER ?? (env.S3_BUCKET ? 's3' : 'local');
}

/** Which Cloudflare products are in force: each needs the account id and token, and its own switch. */
export function cloudflareOf(env: EnvironmentVariables): { images: boolean; stream: boolean } {
  const account = !!env.CLOUDFLARE_ACCOUNT_ID && !!env.CLOUDFLARE_API_TOKEN;
  return { images: account && env.CLOUDFLARE_IMAGES_ENABLED === 'true', stream: account && env.CLOUDFLARE_STREAM_ENABLED === 'true' };
}

/** DATABASE_REPLICA_URLS as a list. */
export function replicaUrls(env: Partial<Pick<EnvironmentVariables, 'DATABASE_REPLICA_URLS'>>): string[] {
  return (env.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

/** Variables without a default (absent from `new EnvironmentVariables()`), read when set. */
export const OPTIONAL_ENV_KEYS = [
  'REDIS_PASSWORD',
  'STORAGE_DRIVER',
  'PUBLIC_BASE_URL',
  'S3_BUCKET',
  'S3_ENDPOINT',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'CLOUDFLARE_ACCOUNT_ID',
  'CLOUDFLARE_API_TOKEN',
  'CLOUDFLARE_IMAGES_SIGNING_KEY',
  'CLOUDFLARE_STREAM_WEBHOOK_SECRET',
] as const;

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
        const shown = /SECRET|PEPPER|PASSWORD|ACCESS_KEY|TOKEN/.test(e.property) ? '<redacted>' : JSON.stringify(input[e.property] ?? null);
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
  if (
    config.DATABASE_QUERY_TIMEOUT > 0 &&
    config.DATABASE_STATEMENT_TIMEOUT > 0 &&
    config.DATABASE_QUERY_TIMEOUT <= config.DATABASE_STATEMENT_TIMEOUT
  ) {
    throw new ConfigError(
      `Invalid configuration: DATABASE_QUERY_TIMEOUT (${config.DATABASE_QUERY_TIMEOUT}) must exceed DATABASE_STATEMENT_TIMEOUT (${config.DATABASE_STATEMENT_TIMEOUT}), so the server cancels a slow statement before the client drops the connection`,
    );
  }
  if (storageDriverOf(config) === 's3' && !config.S3_BUCKET) {
    throw new ConfigError(
      'Invalid configuration: STORAGE_DRIVER=s3 needs S3_BUCKET (and S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY for R2)',
    );
  }
  if (!!config.CLOUDFLARE_ACCOUNT_ID !== !!config.CLOUDFLARE_API_TOKEN) {
    throw new ConfigError(
      'Invalid configuration: CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN go together (set both to use Cloudflare Images and Stream, or neither)',
    );
  }
  if (config.PUBLIC_BASE_URL && !/^https?:\/\/[^/]+/.test(config.PUBLIC_BASE_URL)) {
    throw new ConfigError(
      `Invalid configuration: PUBLIC_BASE_URL=${JSON.stringify(config.PUBLIC_BASE_URL)} must be an absolute http(s) URL`,
    );
  }
  if (config.NODE_ENV === 'production') {
    const secrets =
      storageDriverOf(config) === 'local'
        ? (['JWT_ACCESS_SECRET', 'REFRESH_TOKEN_PEPPER', 'STORAGE_SIGNING_SECRET'] as const)
        : (['JWT_ACCESS_SECRET', 'REFRESH_TOKEN_PEPPER'] as const);
    const weak = secrets.filter((k) => EXAMPLE_SECRETS.includes(config[k]) || config[k].length < 32);
    if (weak.length > 0) {
      throw new ConfigError(
        `Refusing to start in production: ${weak.join(', ')} still hold the example value or are shorter than 32 characters; set real secrets`,
      );
    }
  }
  return config;
}
