/**
 * How search sees text, the single description shared by the query builder, the highlighter and
 * the tests. The database function `message_search_vector` (migration
 * AddMessageSearchableTextGinIndex) indexes text with exactly these character classes:
 *
 * - CJK runs (Hangul syllables and jamo, kana, Han): every bigram of the run plus the run's last
 *   character, so any substring of 1+ characters can be looked up (`부산` → `부산`, `산`).
 * - Latin/digit runs (ASCII, Latin-1 and Latin Extended letters, Greek, Cyrillic, digits): the
 *   whole word, cut to {@link WORD_MAX} characters (queries are shorter, so prefixes stay exact).
 * - Everything else (spaces, punctuation, symbols, emoji, zero-width characters) separates runs.
 */

const CJK = '\\u1100-\\u11ff\\u3040-\\u30ff\\u3130-\\u318f\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f\\uac00-\\ud7ff\\uf900-\\ufaff';
const WORD = '0-9A-Za-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff';

/** Same classes as the SQL function; keep the two in step (the integration spec compares them). */
export const CJK_CLASS = `[${CJK}]`;
export const WORD_CLASS = `[${WORD}]`;
const RUN = new RegExp(`[${CJK}]+|[${WORD}]+`, 'gu');
const CJK_START = new RegExp(`^[${CJK}]`, 'u');

/** Indexed Latin words are cut to this many characters (a query term is at most 100). */
export const WORD_MAX = 100;
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

/** Maximal runs of one script class, in order. */
export function runsOf(text: string): SearchTerm[] {
  const out: SearchTerm[] = [];
  for (const m of text.matchAll(RUN)) out.push({ kind: CJK_START.test(m[0]) ? 'cjk' : 'word', text: m[0] });
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
    if (run.kind === 'word') {
      out.add([...run.text].slice(0, WORD_MAX).join(''));
      continue;
    }
    const chars = [...run.text];
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
    out.add(chars[chars.length - 1]);
  }
  return out;
}

/** A tsquery literal for one lexeme: quoted, with quote and backslash escaped (tsquery input syntax). */
function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The index part of the match, as tsquery text (passed as a parameter and cast, never parsed by a
 * text search parser): a 2-character CJK term is its bigram; a longer one all its bigrams (the
 * exact substring is rechecked with strpos); a 1-character CJK term or a word is a prefix.
 */
export function toTsQuery(terms: SearchTerm[]): string {
  const parts: string[] = [];
  for (const t of terms) {
    const chars = [...t.text];
    if (t.kind === 'word' || chars.length === 1) {
      parts.push(`${quote(t.text)}:*`);
      continue;
    }
    const grams = new Set<string>();
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
    for (const g of grams) parts.push(quote(g));
  }
  return parts.join(' & ');
}

/** CJK terms of 3+ characters: the bigrams only say "maybe", strpos on searchable_text says yes. */
export function recheckTerms(terms: SearchTerm[]): string[] {
  return terms.filter((t) => t.kind === 'cjk' && [...t.text].length > 2).map((t) => t.text);
}

/** The contract, evaluated directly on a searchable text (used by the oracle and highlights). */
export function matchesAll(searchableText: string, terms: SearchTerm[]): boolean {
  const words = runsOf(searchableText).filter((r) => r.kind === 'word').map((r) => r.text);
  return terms.every((t) => (t.kind === 'cjk' ? searchableText.includes(t.text) : words.some((w) => w.startsWith(t.text))));
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
