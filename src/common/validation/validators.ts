import { Transform } from 'class-transformer';
import { isEmail, ValidateBy, ValidationOptions } from 'class-validator';

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

/** An unpaired UTF-16 surrogate: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 and C1 control characters other than tab, line feed and carriage return (NUL included). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Line breaks and tabs: not in single-line fields. */
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
/**
 * Invisible characters that make two names look the same or reorder what is shown (zero-width
 * space, word joiner, BOM, soft hyphen, bidi embeddings and overrides). ZWJ and ZWNJ (U+200C/D)
 * and variation selectors stay allowed: emoji sequences and some scripts need them.
 */
const INVISIBLE = /[\u00AD\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/;

export interface TextRules {
  /** Names, titles: no line breaks or tabs, no invisible characters, at least one visible character. */
  singleLine?: boolean;
}

/** Why `value` is not acceptable text, or undefined. Non-strings are left to the type validators. */
export function textProblem(value: unknown, rules: TextRules = {}): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it contains an unpaired surrogate)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (rules.singleLine) {
    if (LINE_BREAK.test(value)) return 'must be a single line';
    if (INVISIBLE.test(value)) return 'must not contain invisible characters (zero-width spaces, bidi controls)';
  }
  return undefined;
}

/**
 * Text PostgreSQL can store and people can read: no NUL (PostgreSQL refuses it), no unpaired
 * surrogates, no control characters; `singleLine` fields also refuse line breaks and invisible
 * characters. A 400 naming the field, never a 500.
 */
export function IsSafeText(rules: TextRules = {}, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: rules.singleLine ? 'isSafeSingleLineText' : 'isSafeText',
      validator: {
        validate: (v: unknown) => textProblem(v, rules) === undefined,
        defaultMessage: (args) => `$property ${textProblem(args?.value, rules) ?? 'must be valid text'}`,
      },
    },
    options,
  );
}

/** Every default-ignorable code point (zero-width characters, bidi controls, variation selectors…). */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The one spelling of an email address under which accounts are stored and compared: NFKC
 * (full-width and decomposed forms fold), invisible characters removed, trimmed, lower case.
 * `a\u200b@x.com`, `Ａ@x.com` and `A@X.COM` are all `a@x.com`. Not-well-formed text is returned as
 * is, for the validators to refuse.
 */
export function normalizeEmail(value: string): string {
  if (LONE_SURROGATE.test(value)) return value;
  return value.normalize('NFKC').replace(IGNORABLE, '').trim().toLowerCase();
}

/** Normalises an email-address field with normalizeEmail (strings only). */
export const NormalizeEmail = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value));

/** An email address, checked without throwing on malformed Unicode (validator.js' isEmail does). */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmailAddress',
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string' || textProblem(v, { singleLine: true }) !== undefined) return false;
          try {
            return isEmail(v);
          } catch {
            return false;
          }
        },
        defaultMessage: () => '$property must be an email address',
      },
    },
    options,
  );
}

/**
 * A query-string integer: only plain decimal digits (optionally `-`) become a number; anything
 * else (`0x1`, `1e0`, `+1`, ` 1`, `1.0`, ``) stays a string, so `@IsInt()` refuses it.
 * class-transformer's `@Type(() => Number)` would turn all of those into numbers.
 */
export const ToInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : value,
  );

const INT8_MAX = 9223372036854775807n;

/** A positive bigint id as a decimal string that fits PostgreSQL's int8 (message ids). */
export function isBigId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= INT8_MAX;
}

export function IsBigId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isBigId', validator: { validate: isBigId, defaultMessage: () => '$property must be a positive integer id' } },
    options,
  );
}

/** bcrypt reads only the first 72 bytes of a password: longer ones are refused at register and at login alike. */
export const PASSWORD_MAX_BYTES = 72;

/** At most `max` bytes of UTF-8. */
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
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
