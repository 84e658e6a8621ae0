/**
 * How search sees text, the single description shared by the query builder, the highlighter and
 * the tests. The database function `message_search_vector` (migration
 * AddMessageSearchableTextGinIndex) indexes text with exactly these character classes:
 *
 * - CJK runs (Hangul syllables and jamo, kana, Han): every bigram and every trigram of the run plus
 *   the run's last character, so any substring of 1+ characters can be looked up (`부산역` → `부산`,
 *   `산역`, `부산역`, `역`); a 3-character term is one exact lexeme, a longer one the AND of its
 *   trigrams (rechecked with strpos).
 * - Latin/digit runs (ASCII, Latin-1 and Latin Extended letters, Greek, Cyrillic, digits): the
 *   whole word, cut to {@link WORD_MAX} characters, plus its prefixes of 2..{@link PREFIX_MAX}
 *   characters (edge n-grams), so a word term of 2..PREFIX_MAX characters is one exact lexeme; a
 *   longer one (or a 1-character one) is a tsquery prefix match on the whole words.
 * - Everything else (spaces, punctuation, symbols, emoji, zero-width characters) separates runs.
 */

const CJK = '\\u1100-\\u11ff\\u3040-\\u30ff\\u3130-\\u318f\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f\\uac00-\\ud7ff\\uf900-\\ufaff';
const WORD = '0-9A-Za-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff';

/** Same classes as the SQL function; keep the two in step (the integration spec compares them). */
export const CJK_CLASS = `[${CJK}]`;
export const WORD_CLASS = `[${WORD}]`;

/** Indexed Latin words are cut to this many characters (a query term is at most 100). */
export const WORD_MAX = 100;
/** Latin word prefixes of 2..PREFIX_MAX characters are stored as lexemes of their own. */
export const PREFIX_MAX = 6;
/** More distinct terms than this in one query is refused (each costs an index lookup). */
export const MAX_TERMS = 10;

/** Invisible format characters a pasted query may carry; dropped from queries (not from messages). */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/gu;

export type TermKind = 'cjk' | 'word';
export interface SearchTerm {
  kind: TermKind;
  /** Normalised: NFKC, lower case, as in Message.searchableText. */
  text: string;
}

/** The normalisation of Message.generateSearchableText, applied to a query. */
export function normalizeQuery(query: string): string {
  return query.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
}

/** The class of one UTF-16 code unit (every class is in the BMP; surrogates separate runs). */
function classOf(c: number): TermKind | null {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? 'word' : null;
  if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x4ff)) return 'word';
  if (
    (c >= 0x1100 && c <= 0x11ff) ||
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0x3130 && c <= 0x318f) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa960 && c <= 0xa97f) ||
    (c >= 0xac00 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfaff)
  )
    return 'cjk';
  return null;
}

/** Maximal runs of one script class, in order (the classes of CJK_CLASS / WORD_CLASS, by code unit). */
export function runsOf(text: string): SearchTerm[] {
  const out: SearchTerm[] = [];
  let start = 0;
  let kind: TermKind | null = null;
  for (let i = 0; i <= text.length; i++) {
    const k = i < text.length ? classOf(text.charCodeAt(i)) : null;
    if (k === kind) continue;
    if (kind !== null) out.push({ kind, text: text.slice(start, i) });
    kind = k;
    start = i;
  }
  return out;
}

/**
 * The terms of a query: split on whitespace, each piece split again where the script changes,
 * punctuation dropped, duplicates removed. `KTX타고 부산` → word `ktx`, cjk `타고`, cjk `부산`.
 */
export function parseQuery(query: string): SearchTerm[] {
  const seen = new Set<string>();
  const terms: SearchTerm[] = [];
  for (const t of runsOf(normalizeQuery(query))) {
    const key = `${t.kind}:${t.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(t);
  }
  return terms;
}

/** Lexemes the database stores for a text (the mirror of `message_search_vector`). */
export function lexemesOf(searchableText: string): Set<string> {
  const out = new Set<string>();
  for (const run of runsOf(searchableText)) {
    const chars = [...run.text];
    if (run.kind === 'word') {
      out.add(chars.slice(0, WORD_MAX).join(''));
      for (let k = 2; k <= Math.min(chars.length - 1, PREFIX_MAX); k++) out.add(chars.slice(0, k).join(''));
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
    for (let i = 0; i + 2 < chars.length; i++) out.add(chars[i] + chars[i + 1] + chars[i + 2]);
    out.add(chars[chars.length - 1]);
  }
  return out;
}

/** A tsquery literal for one lexeme: quoted, with quote and backslash escaped (tsquery input syntax). */
export function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * How one term is looked up in the index. A CJK term of 2–3 characters and a word of
 * 2..PREFIX_MAX characters are one exact lexeme; a CJK term of 4+ characters implies each of its
 * trigrams (the search ANDs the rarest and rechecks the term with strpos); a 1-character term and
 * a word longer than PREFIX_MAX are a tsquery prefix match, exact on its own.
 */
export interface TermPlan {
  term: SearchTerm;
  /** Exact lexemes the term implies; the search picks the rarest. Empty for prefix terms. */
  keys: string[];
  /** tsquery text equivalent to the term on the vector (`'부산'`, `'debi'`, `'debianutils':*`); null when only a recheck decides. */
  exact: string | null;
  /** The tsquery prefix match that is the term, for prefix terms. */
  prefix: string | null;
  /** Lexemes whose frequency bounds the term's (for a long word: its PREFIX_MAX prefix). */
  estimateKeys: string[];
}

export function planTerm(t: SearchTerm): TermPlan {
  const chars = [...t.text];
  if (t.kind === 'word') {
    if (chars.length >= 2 && chars.length <= PREFIX_MAX)
      return { term: t, keys: [t.text], exact: quote(t.text), prefix: null, estimateKeys: [t.text] };
    const p = `${quote(t.text)}:*`;
    return { term: t, keys: [], exact: p, prefix: p, estimateKeys: chars.length > PREFIX_MAX ? [chars.slice(0, PREFIX_MAX).join('')] : [] };
  }
  if (chars.length === 1) {
    const p = `${quote(t.text)}:*`;
    return { term: t, keys: [], exact: p, prefix: p, estimateKeys: [] };
  }
  if (chars.length <= 3) return { term: t, keys: [t.text], exact: quote(t.text), prefix: null, estimateKeys: [t.text] };
  const grams = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) grams.add(chars[i] + chars[i + 1] + chars[i + 2]);
  return { term: t, keys: [...grams], exact: null, prefix: null, estimateKeys: [...grams] };
}

export interface HighlightRange {
  /** UTF-16 offset into `content`, inclusive. */
  start: number;
  /** UTF-16 offset into `content`, exclusive. */
  end: number;
}

/**
 * Where the terms occur in the original content, as UTF-16 offsets a client can use to bold them.
 * Content is normalised one code point at a time so offsets map back exactly; overlapping ranges
 * are merged.
 */
export function highlightRanges(content: string | null, terms: SearchTerm[]): HighlightRange[] {
  if (!content || terms.length === 0) return [];
  let norm = '';
  const origin: number[] = []; // origin[i] = offset in content of the code point that produced norm[i]
  let offset = 0;
  for (const cp of content) {
    const n = cp.normalize('NFKC').toLowerCase();
    for (let k = 0; k < n.length; k++) origin.push(offset);
    norm += n;
    offset += cp.length;
  }
  origin.push(content.length);
  const ranges: HighlightRange[] = [];
  const add = (s: number, e: number) => ranges.push({ start: origin[s], end: e >= norm.length ? content.length : origin[e] });
  for (const t of terms) {
    if (t.kind === 'cjk') {
      for (let i = norm.indexOf(t.text); i >= 0; i = norm.indexOf(t.text, i + 1)) add(i, i + t.text.length);
    } else {
      const re = new RegExp(WORD_CLASS + '+', 'gu');
      for (const m of norm.matchAll(re)) if (m[0].startsWith(t.text)) add(m.index, m.index + t.text.length);
    }
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: HighlightRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}
