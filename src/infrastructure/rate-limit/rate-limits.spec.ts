import { validateEnv } from '../../config/env';
import { parseRate, rulesFrom } from './rate-limits';
import { accountSubject, ipSubject } from './subjects';

describe('rate limit configuration', () => {
  it('parses <count>/<duration> in seconds, minutes and hours', () => {
    expect(parseRate('30/60s')).toEqual({ count: 30, periodMs: 60_000 });
    expect(parseRate('100/10m')).toEqual({ count: 100, periodMs: 600_000 });
    expect(parseRate('10/1h')).toEqual({ count: 10, periodMs: 3_600_000 });
  });

  it('has a rule for every limit by default', () => {
    const rules = rulesFrom(validateEnv({}));
    expect(rules).toMatchObject({
      auth: { count: 30, periodMs: 60_000 },
      loginFailures: { count: 10, periodMs: 3_600_000 },
      typing: { count: 5, periodMs: 1000 },
    });
    expect(Object.keys(rules).sort()).toEqual([
      'auth',
      'edit',
      'loginFailures',
      'read',
      'search',
      'send',
      'socketEvents',
      'typing',
      'upload',
    ]);
  });

  it('refuses a malformed limit at boot, naming the variable', () => {
    for (const bad of ['30', '30/60', '0/60s', '30/0s', '30/60d', '-1/60s', ' 30/60s']) {
      expect(() => validateEnv({ RATE_LIMIT_SEND: bad })).toThrow(/RATE_LIMIT_SEND=.*must be <count>\/<duration> with s, m or h/);
    }
    expect(() => validateEnv({ RATE_LIMIT_ENABLED: 'maybe' })).toThrow(/RATE_LIMIT_ENABLED/);
  });
});

describe('rate limit subjects', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6', () => {
    expect(ipSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(ipSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(ipSubject(undefined)).toBeUndefined();
  });

  it('groups IPv6 addresses by /64, however they are spelled', () => {
    const net = '2001:db8:1:2::/64';
    expect(ipSubject('2001:db8:1:2::1')).toBe(net);
    expect(ipSubject('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(net);
    expect(ipSubject('2001:DB8:1:2:0:0:0:9')).toBe(net);
    expect(ipSubject('2001:db8:1:2::1%eth0')).toBe(net);
    expect(ipSubject('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipSubject('::1')).toBe('0:0:0:0::/64');
    expect(ipSubject('2001:db8:1:3::1')).not.toBe(net);
  });

  it('gives spellings of one email one account bucket, and never keeps the address itself', () => {
    const key = accountSubject('minji@connecto.dev');
    expect(key).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(key).not.toContain('minji');
    for (const variant of ['  MINJI@connecto.dev ', 'minji\u200b@connecto.dev', 'ｍｉｎｊｉ@connecto.dev'])
      expect(accountSubject(variant)).toBe(key);
    expect(accountSubject('minjy@connecto.dev')).not.toBe(key);
    expect(accountSubject('\ud800@x.com')).toEqual(expect.any(String));
    expect(accountSubject(undefined)).toBeUndefined();
    expect(accountSubject(42)).toBeUndefined();
    expect(accountSubject('\u200b ')).toBeUndefined();
  });
});
