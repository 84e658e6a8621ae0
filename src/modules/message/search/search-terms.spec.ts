import { CJK_CLASS, highlightRanges, lexemesOf, parseQuery, planTerm, runsOf, WORD_CLASS } from './search-terms';

describe('search terms', () => {
  it('classifies every BMP character exactly as the character classes the SQL function uses', () => {
    const cjk = new RegExp(`^${CJK_CLASS}$`, 'u');
    const word = new RegExp(`^${WORD_CLASS}$`, 'u');
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const expected = cjk.test(ch) ? 'cjk' : word.test(ch) ? 'word' : null;
      const runs = runsOf(`\u0000${ch}\u0000`);
      const got = runs.length === 0 ? null : runs[0].kind;
      if (got !== expected || (got !== null && (runs.length !== 1 || runs[0].text !== ch))) wrong.push(c);
    }
    expect(wrong).toEqual([]);
    expect(runsOf('😆ＫＴＸ타고abc부산')).toEqual([
      { kind: 'cjk', text: '타고' },
      { kind: 'word', text: 'abc' },
      { kind: 'cjk', text: '부산' },
    ]);
  });

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

  it('plans each term by its index keys: trigrams of long CJK terms, a word-start estimate key for long words', () => {
    expect(planTerm({ kind: 'cjk', text: '업그레이드' }).keys).toEqual(['업그레', '그레이', '레이드']);
    expect(planTerm({ kind: 'word', text: 'debianutils' }).estimateKeys).toEqual(['debian']);
  });

  it('indexes bigrams, trigrams and the last character of each CJK run, whole words cut to 100 characters and their 2..6 prefixes', () => {
    expect([...lexemesOf('부산역 ktx타고')].sort()).toEqual(['kt', 'ktx', '고', '부산', '부산역', '산역', '역', '타고'].sort());
    expect([...lexemesOf('debian')].sort()).toEqual(['de', 'deb', 'debi', 'debia', 'debian'].sort());
    expect([...lexemesOf('x'.repeat(300))].sort()).toEqual(['x'.repeat(100), 'xx', 'xxx', 'xxxx', 'xxxxx', 'xxxxxx'].sort());
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
