import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { normalizeEmail } from '../../common/validation/validators';

/**
 * The bucket of a client address. IPv4 as is; IPv6 by its /64, since one client (one phone on a
 * Korean carrier, one server) gets a whole /64 and could otherwise take a new address per request.
 */
export function ipSubject(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  const [head, tail] = ip.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The bucket of the account a login names: the email as accounts are stored (normalizeEmail),
 * hashed so no address is stored in Redis. Spelling variants of one address share a bucket, so
 * they cannot multiply the guesses.
 */
export function accountSubject(email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  const canonical = normalizeEmail(email);
  if (!canonical) return undefined;
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 27);
}
