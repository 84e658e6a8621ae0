import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, EnvironmentVariables, EXAMPLE_SECRETS } from './env';

const SECRET_KEYS = ['JWT_ACCESS_SECRET', 'REFRESH_TOKEN_PEPPER', 'STORAGE_SIGNING_SECRET'] as const;
type SecretKey = (typeof SECRET_KEYS)[number];

/** The secrets still holding the example values of .env.example. */
export function exampleSecretsIn(env: EnvironmentVariables): SecretKey[] {
  return SECRET_KEYS.filter((k) => EXAMPLE_SECRETS.includes(env[k]));
}

/**
 * Outside tests the example secrets of .env.example never sign or verify anything: anyone could
 * forge a token with them. In development, secrets left at the example values are replaced by
 * random ones generated at first start and kept in DEV_SECRETS_FILE (git-ignored), so tokens
 * survive restarts; `notice` says so. Production already refuses the example values at validation.
 */
export function withDevSecrets(env: EnvironmentVariables, notice: (line: string) => void = () => undefined): EnvironmentVariables {
  if (env.NODE_ENV === 'test') return env;
  const missing = exampleSecretsIn(env);
  if (missing.length === 0) return env;
  if (env.NODE_ENV !== 'development') {
    throw new ConfigError(`Refusing to start: ${missing.join(', ')} still hold the example value; set real secrets`);
  }
  const file = resolve(env.DEV_SECRETS_FILE);
  let stored: Partial<Record<SecretKey, string>> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<SecretKey, string>>;
    } catch {
      throw new ConfigError(`${file} is not valid JSON: delete it to generate new development secrets`);
    }
  }
  let generated = false;
  for (const key of missing) {
    const value = stored[key];
    if (typeof value !== 'string' || value.length < 32 || EXAMPLE_SECRETS.includes(value)) {
      stored[key] = randomBytes(32).toString('base64url');
      generated = true;
    }
  }
  if (generated) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  notice(
    `${missing.join(' and ')} not set: using development secrets ${generated ? 'generated into' : 'from'} ${file} (git-ignored; set them in .env to use your own)`,
  );
  const out = Object.assign(new EnvironmentVariables(), env);
  for (const key of missing) out[key] = stored[key] as string;
  return out;
}

/** A last guard where tokens are signed and verified: example secrets only ever under NODE_ENV=test. */
export function assertNoExampleSecrets(env: EnvironmentVariables): void {
  const left = exampleSecretsIn(env);
  if (env.NODE_ENV !== 'test' && left.length > 0) {
    throw new ConfigError(
      `Refusing to start: ${left.join(', ')} hold the example value outside NODE_ENV=test (call withDevSecrets, or set real secrets)`,
    );
  }
}
