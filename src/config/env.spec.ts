import { ConfigError, validateEnv } from './env';

describe('validateEnv', () => {
  it('gives the seed pool defaults when nothing is set', () => {
    const env = validateEnv({});
    expect(env.DATABASE_MAX_CONNECTIONS).toBe(20);
    expect(env.DATABASE_MIN_CONNECTIONS).toBe(5);
    expect(env.DATABASE_CONNECTION_TIMEOUT).toBe(30000);
    expect(env.PORT).toBe(3000);
  });

  it('reads and converts numbers from strings', () => {
    const env = validateEnv({ DATABASE_MAX_CONNECTIONS: '50', DATABASE_MIN_CONNECTIONS: '10', PORT: '8080' });
    expect(env).toMatchObject({ DATABASE_MAX_CONNECTIONS: 50, DATABASE_MIN_CONNECTIONS: 10, PORT: 8080 });
  });

  it('names the variable that is wrong', () => {
    expect(() => validateEnv({ DATABASE_PORT: 'abc' })).toThrow(/DATABASE_PORT="abc"/);
    expect(() => validateEnv({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('never echoes a secret it refuses', () => {
    expect(() => validateEnv({ JWT_ACCESS_SECRET: 'short-secret' })).toThrow(/JWT_ACCESS_SECRET=<redacted>/);
    expect(() => validateEnv({ JWT_ACCESS_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('refuses a minimum pool larger than the maximum', () => {
    expect(() => validateEnv({ DATABASE_MIN_CONNECTIONS: '30' })).toThrow(
      /DATABASE_MIN_CONNECTIONS \(30\) exceeds DATABASE_MAX_CONNECTIONS \(20\)/,
    );
  });

  it('refuses to start in production with the example secrets', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(/JWT_ACCESS_SECRET, REFRESH_TOKEN_PEPPER/);
  });

  it('starts in production with real secrets', () => {
    const env = validateEnv({
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: 'a'.repeat(40),
      REFRESH_TOKEN_PEPPER: 'b'.repeat(40),
      STORAGE_SIGNING_SECRET: 'c'.repeat(40),
    });
    expect(env.NODE_ENV).toBe('production');
  });
});
