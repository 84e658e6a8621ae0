import { createHash } from 'node:crypto';

/**
 * How cached values are stored: JSON, with the types JSON loses tagged so they come back as they
 * went in (a Date stays a Date, a bigint a bigint; bigint ids the app keeps as strings stay
 * strings anyway). A hit and a miss return the same shape: the cache returns a decoded copy on a
 * miss too, and callers may mutate what they get without touching the stored value. An `undefined` property is
 * dropped, as JSON drops it.
 */
const TAG = '$cache';

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return { [TAG]: 'date', v: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
  if (typeof raw === 'bigint') return { [TAG]: 'bigint', v: raw.toString() };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && TAG in value) {
    const tagged = value as { [TAG]: string; v?: string | null };
    if (tagged[TAG] === 'date') return new Date(tagged.v ?? NaN);
    if (tagged[TAG] === 'bigint') return BigInt(tagged.v as string);
  }
  return value;
}

export function encode(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function decode<T>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

/** JSON with object keys sorted, so equal arguments give equal keys whatever their key order. */
function stable(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'bigint') return `"${value.toString()}n"`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A stable, short hash of call arguments (sha1, base64url, 22 characters). */
export function argsHash(args: unknown[]): string {
  return createHash('sha1').update(stable(args)).digest('base64url').slice(0, 22);
}
