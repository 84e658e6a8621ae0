import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { EnvironmentVariables, EXAMPLE_SECRETS, OPTIONAL_ENV_KEYS, validateEnv } from '../../src/config/env';
import { freePort } from '../helpers/net';
import { createSuiteDatabase, dropDatabase } from '../helpers/test-db';

/**
 * What a new user sees when a backing service is missing or the config is unsafe: the real entry
 * point (src/main.ts through ts-node, as `npm run dev` runs it) exits 1 with ONE readable line on
 * stderr naming the service and the address — never a stack trace.
 */
const root = join(__dirname, '..', '..');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runMain(env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    // A clean environment: no jest markers (loadDotenv skips .env under jest), the defaults of env.ts.
    for (const key of Object.keys(base)) {
      if (/^(JEST_|DATABASE_|REDIS_|JWT_|REFRESH_TOKEN_|NODE_ENV$|PORT$|LOG_LEVEL$)/.test(key)) delete base[key];
    }
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
      cwd: root,
      env: { ...base, TS_NODE_PROJECT: join(root, 'tsconfig.json'), NODE_ENV: 'development', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.ts did not exit within 45 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 45_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectOneReadableLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(lines[0]).toMatch(/^connecto: /);
  return lines[0];
}

const noStackTrace = (out: string) => expect(out).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

describe('boot failures (src/main.ts)', () => {
  let database: string;
  beforeAll(async () => {
    database = await createSuiteDatabase('boot');
  });
  afterAll(async () => {
    await dropDatabase(database);
  });

  it('exits 1 naming PostgreSQL and its address when PostgreSQL is not reachable', async () => {
    const port = await freePort();
    const res = await runMain({ DATABASE_HOST: '127.0.0.1', DATABASE_PORT: String(port), DATABASE_NAME: database });
    expect(res.code).toBe(1);
    const line = expectOneReadableLine(res.stderr);
    expect(line).toContain('PostgreSQL');
    expect(line).toContain(`127.0.0.1:${port}`);
    expect(line).toMatch(/start it with/);
    noStackTrace(res.stdout);
  });

  it('exits 1 naming Redis and its address when Redis is not reachable', async () => {
    const port = await freePort();
    const res = await runMain({
      DATABASE_HOST: process.env.DATABASE_HOST ?? '127.0.0.1',
      DATABASE_PORT: process.env.DATABASE_PORT ?? '5432',
      DATABASE_NAME: database,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(port),
    });
    expect(res.code).toBe(1);
    const line = expectOneReadableLine(res.stderr);
    expect(line).toContain('Redis');
    expect(line).toContain(`127.0.0.1:${port}`);
    expect(line).toMatch(/start it with/);
    noStackTrace(res.stdout);
  });

  it('refuses to start in production with the example secrets of .env.example, naming the variables', async () => {
    const res = await runMain({
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: 'change-me-access-secret',
      REFRESH_TOKEN_PEPPER: 'change-me-refresh-pepper',
    });
    expect(res.code).toBe(1);
    const line = expectOneReadableLine(res.stderr);
    expect(line).toContain('JWT_ACCESS_SECRET');
    expect(line).toContain('REFRESH_TOKEN_PEPPER');
    expect(line).toMatch(/production/);
  });
});

describe('.env.example', () => {
  const example = parseEnv(readFileSync(join(root, '.env.example'), 'utf8'));

  it('documents every variable of src/config/env.ts, and nothing else', () => {
    const known = [...Object.keys(new EnvironmentVariables()), ...OPTIONAL_ENV_KEYS].sort();
    expect(Object.keys(example).sort()).toEqual([...new Set(known)]);
  });

  it('holds valid development values and the example secrets that production refuses', () => {
    expect(() => validateEnv(example)).not.toThrow();
    expect([example.JWT_ACCESS_SECRET, example.REFRESH_TOKEN_PEPPER, example.STORAGE_SIGNING_SECRET]).toEqual(EXAMPLE_SECRETS);
    expect(() => validateEnv({ ...example, NODE_ENV: 'production' })).toThrow(/JWT_ACCESS_SECRET, REFRESH_TOKEN_PEPPER/);
  });
});
