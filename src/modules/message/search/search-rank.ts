import { runsOf, SearchTerm } from './search-terms';

/**
 * Relevance of one matching message, computed on the bounded window of the newest matches only.
 * Each term adds 1 + ln(occurrences), plus 0.5 when it stands at the start of a word (`부산에서` for
 * `부산` beats `해운대부산`, `bus` as a whole word beats `busan`); short messages win ties of equal
 * weight through a mild length damping. Ties are broken by recency by the caller.
 */
export function relevanceScore(searchableText: string, terms: SearchTerm[]): number {
  const runs = runsOf(searchableText);
  let score = 0;
  for (const t of terms) {
    let count = 0;
    let initial = false;
    for (const r of runs) {
      if (r.kind !== t.kind) continue;
      if (t.kind === 'word') {
        if (r.text.startsWith(t.text)) {
          count++;
          if (r.text === t.text) initial = true;
        }
        continue;
      }
      for (let i = r.text.indexOf(t.text); i >= 0; i = r.text.indexOf(t.text, i + 1)) {
        count++;
        if (i === 0) initial = true;
      }
    }
    if (count > 0) score += 1 + Math.log(count) + (initial ? 0.5 : 0);
  }
  return score / (1 + 0.1 * Math.log1p(searchableText.length));
}
