import type { EntityManager } from 'typeorm';

/**
 * How often search lexemes occur, from the statistics ANALYZE (autovacuum) keeps on
 * message.search_vector: `pg_stats.most_common_elems` with their frequencies (the fraction of rows
 * holding each lexeme; the 1,000 most common at the default statistics target). A lexeme not in
 * the list is rarer than the list's smallest frequency. Read once and cached for a few minutes per
 * process; without statistics (a fresh or tiny table) every lexeme counts as rare.
 */
export interface LexemeStats {
  /** Estimated rows of the table (pg_class.reltuples, 0 when unknown). */
  rows: number;
  /** Fraction of rows holding the lexeme, at most (`floor` when it is not among the most common). */
  freq(lexeme: string): number;
  /** Upper bound of the fraction of rows holding a word that starts with `prefix` (for `:*` terms). */
  prefixFreq(prefix: string): number;
}

/** How long the statistics are reused before they are read again. */
export const STATS_TTL_MS = 5 * 60 * 1000;

let cached: { at: number; stats: Promise<LexemeStats> } | undefined;

export function lexemeStats(manager: EntityManager, now = Date.now()): Promise<LexemeStats> {
  if (!cached || now - cached.at > STATS_TTL_MS) {
    const stats = readStats(manager);
    cached = { at: now, stats };
    stats.catch(() => {
      if (cached?.stats === stats) cached = undefined;
    });
  }
  return cached.stats;
}

async function readStats(manager: EntityManager): Promise<LexemeStats> {
  const rows = await manager.query<{ elems: string[] | null; freqs: number[] | null; rows: number | null }[]>(
    `SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs::float8[] AS freqs,
            (SELECT greatest(c.reltuples, 0)::float8 FROM pg_class c WHERE c.oid = 'message'::regclass) AS rows
     FROM (SELECT 1) AS one
     LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'message' AND s.attname = 'search_vector'`,
  );
  const { elems, freqs } = rows[0] ?? { elems: null, freqs: null };
  const total = Number(rows[0]?.rows ?? 0);
  const map = new Map<string, number>();
  let floor = 0;
  if (elems && freqs && elems.length > 0) {
    // most_common_elem_freqs: one frequency per element, then the minimum and maximum (and, for
    // arrays, the null-element frequency); the smallest listed frequency bounds every other lexeme.
    floor = 1;
    elems.forEach((e, i) => {
      map.set(e, freqs[i]);
      floor = Math.min(floor, freqs[i]);
    });
  }
  const sorted = [...map.keys()].sort();
  return {
    rows: total,
    freq: (lexeme) => map.get(lexeme) ?? floor,
    prefixFreq: (prefix) => {
      // every listed lexeme with the prefix, plus the unlisted ones (each below floor; bounded loosely)
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < prefix) lo = mid + 1;
        else hi = mid;
      }
      let sum = floor;
      for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) sum += map.get(sorted[i])!;
      return Math.min(1, sum);
    },
  };
}
