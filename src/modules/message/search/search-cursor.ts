import { isBigId } from '../../../common/validation/validators';
import { AppException } from '../../../common/errors/app.exception';

/**
 * Opaque keyset cursors (base64url JSON). `recent`: the last id seen. `relevance`: the anchor (newest
 * id of the ranked window, so later pages rank the same window) and either a position inside the
 * window or, past it, the last id of the recency tail.
 */
export type SearchCursor =
  { s: 'recent'; id: string } | { s: 'relevance'; a: string; p: number } | { s: 'relevance'; a: string; t: string };

export function encodeCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string, sort: 'recent' | 'relevance'): SearchCursor {
  const bad = () => AppException.badRequest('cursor', 'is not a cursor of this search (use nextCursor as returned)');
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof c !== 'object' || c === null) throw bad();
  const o = c as Record<string, unknown>;
  if (o.s !== sort) throw bad();
  if (o.s === 'recent' && typeof o.id === 'string' && isBigId(o.id)) return { s: 'recent', id: o.id };
  if (o.s === 'relevance' && typeof o.a === 'string' && isBigId(o.a)) {
    if (typeof o.p === 'number' && Number.isInteger(o.p) && o.p >= 0 && o.p <= 10000) return { s: 'relevance', a: o.a, p: o.p };
    if (typeof o.t === 'string' && isBigId(o.t)) return { s: 'relevance', a: o.a, t: o.t };
  }
  throw bad();
}
