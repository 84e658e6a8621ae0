import type { EnvironmentVariables } from '../../config/env';

/** What a limit counts by: the client IP, the authenticated user, one Socket.IO connection, or the account a login names. */
export type RateLimitScope = 'ip' | 'user' | 'socket' | 'account';

interface RateLimitDefinition {
  scope: RateLimitScope;
  /** The environment variable holding `<count>/<duration>`. */
  env: keyof EnvironmentVariables;
  /** Start of the refusal message; ": try again in N s" follows. */
  refused: string;
  /** Counts only requests that fail with 401 (the others are given back once answered). */
  failuresOnly?: boolean;
}

/**
 * Every rate limit, by name. Apply one with `@RateLimit(name)` on a route or gateway handler. Each
 * is a token bucket shared by all instances through Redis: `count` requests at once, then one
 * more every `duration / count` (so `60/60s` is a burst of 60, then one a second).
 */
export const RATE_LIMITS = {
  auth: { scope: 'ip', env: 'RATE_LIMIT_AUTH_IP', refused: 'Too many auth requests from this address' },
  loginFailures: {
    scope: 'account',
    env: 'RATE_LIMIT_LOGIN_FAILURES',
    refused: 'Too many failed logins for this account',
    failuresOnly: true,
  },
  send: { scope: 'user', env: 'RATE_LIMIT_SEND', refused: 'Too many messages sent' },
  edit: { scope: 'user', env: 'RATE_LIMIT_EDIT', refused: 'Too many message edits' },
  read: { scope: 'user', env: 'RATE_LIMIT_READ', refused: 'Too many read receipts' },
  search: { scope: 'user', env: 'RATE_LIMIT_SEARCH', refused: 'Too many searches' },
  upload: { scope: 'user', env: 'RATE_LIMIT_UPLOAD', refused: 'Too many uploads' },
  socketEvents: { scope: 'socket', env: 'RATE_LIMIT_SOCKET_EVENTS', refused: 'Too many events on this connection' },
  typing: { scope: 'socket', env: 'RATE_LIMIT_TYPING', refused: 'Too many typing events' },
} as const satisfies Record<string, RateLimitDefinition>;

export type RateLimitName = keyof typeof RATE_LIMITS;

export interface RateRule {
  count: number;
  periodMs: number;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `30/60s` → 30 per 60,000 ms (the format env.ts validates). */
export function parseRate(value: string): RateRule {
  const match = /^(\d+)\/(\d+)([smh])$/.exec(value);
  if (!match) throw new Error(`not a rate: ${value}`);
  return { count: Number(match[1]), periodMs: Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS] };
}

export function rulesFrom(env: EnvironmentVariables): Record<RateLimitName, RateRule> {
  const rules = {} as Record<RateLimitName, RateRule>;
  for (const [name, def] of Object.entries(RATE_LIMITS) as [RateLimitName, RateLimitDefinition][])
    rules[name] = parseRate(String(env[def.env]));
  return rules;
}

/** Whether a limit counts failures only (see RateLimitDefinition.failuresOnly). */
export function countsFailuresOnly(name: RateLimitName): boolean {
  const def: RateLimitDefinition = RATE_LIMITS[name];
  return def.failuresOnly === true;
}
