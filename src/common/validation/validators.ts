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

/** Trims strings; leaves anything else for the type validators to refuse. */
export const Trim = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
