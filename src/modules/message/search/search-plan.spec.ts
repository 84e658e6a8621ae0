import { planMatch, SCAN_MIN } from './message-search';
import type { LexemeStats } from './search-stats';
import { parseQuery } from './search-terms';

/** Statistics of a 1M-row table where the listed lexemes have these frequencies and the rest are below 0.4 %. */
function stats(freqs: Record<string, number>, rows = 1_000_000): LexemeStats {
  return { rows, freq: (l) => freqs[l] ?? 0.004, prefixFreq: () => 0.5 };
}

const planets = Array.from({ length: 200 }, (_v, i) => 2 * i + 1);

describe('search match plan', () => {
  const common = stats({
    데비: 0.2,
    비안: 0.2,
    데비안: 0.2,
    패키지: 0.18,
    업그레: 0.03,
    그레이: 0.05,
    레이드: 0.026,
    debi: 0.09,
    dpkg: 0.025,
  });

  it('looks each term up by its rarest lexeme and rechecks 4+ character CJK terms', () => {
    const plan = planMatch(planets, parseQuery('업그레이드 dpkg'), common);
    expect(plan.index.params.slice(1)).toEqual(["'레이드' & 'dpkg'", '업그레이드']);
    expect(plan.index.where).toContain('m.search_vector @@ $2::tsquery');
    expect(plan.index.where).toContain('strpos(m.searchable_text, $3) > 0');
    expect(plan.index.where).toContain('(m.planet_id + 0) = ANY($1::int[])');
  });

  it('within id ranges, tests very common terms on the row instead of intersecting their keys', () => {
    const plan = planMatch(planets, parseQuery('데비안 dpkg'), common);
    expect(plan.index.params.slice(1)).toEqual(["'데비안' & 'dpkg'"]);
    expect(plan.ranged.params.slice(1)).toEqual(["'dpkg'", '데비안']);
    expect(plan.ranged.where).toContain('m.search_vector @@ $2::tsquery AND strpos(m.searchable_text, $3) > 0');
  });

  it('filters without the index (no @@), words rechecked on the vector', () => {
    const plan = planMatch(planets, parseQuery('데비안 debianutils'), common);
    expect(plan.filter.where).not.toContain('@@');
    expect(plan.filter.params.slice(1)).toEqual(['데비안', 'debianutils', "'debianutils':*"]);
    expect(plan.filter.where).toContain('ts_match_vq(m.search_vector, $4::tsquery)');
  });

  it('chooses ordered index reads for rare matches, an index count for middling ones and a scan for common ones', () => {
    expect(planMatch(planets, parseQuery('설치하는'), common).strategy).toBe('ordered');
    expect(planMatch(planets, parseQuery('업그레이드'), common).strategy).toBe('index');
    expect(planMatch(planets, parseQuery('데비안'), common).strategy).toBe('scan');
    expect(planMatch(planets, parseQuery('debi'), common).strategy).toBe('scan');
    // two common terms: between the independent product (3.6 %) and the rarer term (18 %)
    expect(planMatch(planets, parseQuery('데비안 패키지'), common).estimate).toBeGreaterThan(SCAN_MIN);
    const mixed = planMatch(planets, parseQuery('dpkg 데비안'), common).estimate;
    expect(mixed).toBeGreaterThan(0.025 * 0.2 * 1_000_000);
    expect(mixed).toBeLessThan(0.025 * 1_000_000);
    expect(planMatch(planets, parseQuery('데비안 zzqxv'), common).strategy).toBe('ordered');
  });

  it('reads the index in order when there are no statistics', () => {
    expect(planMatch(planets, parseQuery('데비안'), stats({}, 0)).strategy).toBe('ordered');
  });

  it('lets a few planets use the planet column of the index', () => {
    expect(planMatch([3, 5], parseQuery('부산'), common).index.where).toContain('m.planet_id = ANY($1::int[])');
  });
});
