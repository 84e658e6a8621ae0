import { highlightRanges, lexemesOf, parseQuery, recheckTerms, toTsQuery } from './search-terms';

describe('search terms', () => {
  it('splits on whitespace and where the script changes, normalising like searchableText', () => {
    expect(parseQuery('KTX타고  부산')).toEqual([
      { kind: 'word', text: 'ktx' },
      { kind: 'cjk', text: '타고' },
      { kind: 'cjk', text: '부산' },
    ]);
    expect(parseQuery('ＢＵＳＡＮ Café')).toEqual([
      { kind: 'word', text: 'busan' },
      { kind: 'word', text: 'café' },
    ]);
  });

  it('drops punctuation, emoji and invisible characters, and repeated terms', () => {
    expect(parseQuery(`&|!:*()<>'"\\ 부\u200b산 😆 부산`)).toEqual([{ kind: 'cjk', text: '부산' }]);
    expect(parseQuery('😆 \u200b !!')).toEqual([]);
  });

  it('builds tsquery text from quoted lexemes only: bigrams for Hangul, prefixes for words and single characters', () => {
    expect(toTsQuery(parseQuery('부산에서 bus 역'))).toBe("'부산' & '산에' & '에서' & 'bus':* & '역':*");
    expect(recheckTerms(parseQuery('부산에서 부산 bus'))).toEqual(['부산에서']);
  });

  it('indexes bigrams plus the last character of each CJK run, and whole words cut to 100 characters', () => {
    expect([...lexemesOf('부산역 ktx타고')].sort()).toEqual(['ktx', '고', '부산', '산역', '역', '타고'].sort());
    expect([...lexemesOf('x'.repeat(300))]).toEqual(['x'.repeat(100)]);
  });

  it('gives highlight ranges as UTF-16 offsets into the original content', () => {
    const terms = parseQuery('부산 bus');
    expect(highlightRanges('😆 ＢＵＳＡＮ 부산에서', terms)).toEqual([
      { start: 3, end: 6 },
      { start: 9, end: 11 },
    ]);
    expect(highlightRanges(null, terms)).toEqual([]);
    expect(highlightRanges('부산부산', parseQuery('부산'))).toEqual([{ start: 0, end: 4 }]);
  });
});
