import { ACQUIRE_TIMEOUT_CODE, QUERY_READ_TIMEOUT_MESSAGE } from './bounded-pg';

/** Why the database could not serve a request; every kind is answered 503 with Retry-After. */
export type DatabaseTrouble = 'unreachable' | 'timeout' | 'busy';

/**
 * SQLSTATE codes that mean "the server cannot serve this now", not "the request is wrong":
 * class 08 (connection exception), 57P01-57P05 (admin/crash shutdown, cannot connect now, idle
 * session timeout), 57014 (statement_timeout), class 53 (out of connections, memory, disk), and
 * 40001 / 40P01 (serialization failure, deadlock: a retry succeeds).
 */
function troubleOfSqlState(code: string): DatabaseTrouble | undefined {
  if (code.startsWith('08') || /^57P0[1-5]$/.test(code)) return 'unreachable';
  if (code === '57014') return 'timeout';
  if (code.startsWith('53') || code === '40001' || code === '40P01') return 'busy';
  return undefined;
}

/** Socket-level errno codes of a connection that could not be opened or died. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** Messages of node-postgres, pg-pool and TypeORM for a server that is gone, slow or being closed. */
const MESSAGES: [RegExp, DatabaseTrouble][] = [
  [new RegExp(`^${QUERY_READ_TIMEOUT_MESSAGE}$`), 'timeout'],
  [/^timeout exceeded when trying to connect$/, 'timeout'],
  [/^Connection terminated due to connection timeout$/, 'timeout'],
  [/^Connection terminated( unexpectedly)?$/, 'unreachable'],
  [/^Client (has encountered a connection error|was closed) and is not queryable$/, 'unreachable'],
  [/^Cannot use a pool after calling end on the pool$/, 'unreachable'],
  [/^Driver not Connected$/, 'unreachable'],
];

/**
 * Classifies anything thrown as database trouble, or undefined when it is not (a bug, a constraint,
 * bad input). Looks through QueryFailedError's driverError, `cause` chains and AggregateError
 * (Node's connect to a host with several addresses).
 */
export function databaseTrouble(err: unknown, depth = 0): DatabaseTrouble | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (e.code === ACQUIRE_TIMEOUT_CODE) return 'busy';
    if (NETWORK_CODES.has(e.code)) return 'unreachable';
    if (/^[0-9A-Z]{5}$/.test(e.code)) {
      const byState = troubleOfSqlState(e.code);
      if (byState) return byState;
    }
  }
  if (typeof e.message === 'string') {
    for (const [pattern, trouble] of MESSAGES) if (pattern.test(e.message)) return trouble;
  }
  const nested: unknown[] = Array.isArray(e.errors) ? (e.errors as unknown[]) : [];
  for (const inner of [e.driverError, e.cause, ...nested]) {
    const found = databaseTrouble(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** What the client reads for each kind (never the driver's own text). */
export const TROUBLE_MESSAGE: Record<DatabaseTrouble, string> = {
  unreachable: 'The database is unavailable: try again shortly',
  timeout: 'The database did not answer in time: try again shortly',
  busy: 'The database is overloaded: try again shortly',
};
