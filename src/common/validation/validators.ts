import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day as `YYYY-MM-DD` (no time, no 2025-02-30, no year 0 — PostgreSQL's `date` refuses those). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isCalendarDate', validator: { validate: isCalendarDate, defaultMessage: () => '$property must be a date as YYYY-MM-DD' } },
    options,
  );
}

/** PostgreSQL text refuses U+0000; such input is the caller's mistake (400), not our 500. */
export function HasNoNulChar(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasNoNulChar',
      validator: {
        validate: (v: unknown) => typeof v !== 'string' || !v.includes('\u0000'),
        defaultMessage: () => '$property must not contain NUL characters',
      },
    },
    options,
  );
}

const INT8_MAX = 9223372036854775807n;

/** A positive bigint id as a decimal string that fits PostgreSQL's int8 (message ids). */
export function isBigId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= INT8_MAX;
}

export function IsBigId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isBigId', validator: { validate: isBigId, defaultMessage: () => '$property must be a positive integer id' } }, options);
}

/** At most `max` bytes of UTF-8 (bcrypt reads only the first 72 bytes of a password). */
export function MaxUtf8Bytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxUtf8Bytes',
      validator: {
        validate: (v: unknown) => typeof v !== 'string' || Buffer.byteLength(v, 'utf8') <= max,
        defaultMessage: () => `$property must be at most ${max} bytes of UTF-8 (a Hangul syllable is 3)`,
      },
    },
    options,
  );
}

/** Trims strings; leaves anything else for the type validators to refuse. */
export const Trim = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
