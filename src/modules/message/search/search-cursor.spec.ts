import { AppException } from '../../../common/errors/app.exception';
import { decodeCursor, encodeCursor } from './search-cursor';
import { relevanceScore } from './search-rank';
import { parseQuery } from './search-terms';

describe('search cursor', () => {
  it('round-trips both kinds', () => {
    for (const c of [
      { s: 'recent', id: '42' },
      { s: 'relevance', a: '99', p: 20 },
      { s: 'relevance', a: '99', t: '7' },
    ] as const) {
      expect(decodeCursor(encodeCursor(c), c.s)).toEqual(c);
    }
  });

  it.each([
    '',
    'not json',
    encodeCursor({ s: 'recent', id: '1' }).slice(3),
    Buffer.from('{"s":"recent","id":"1 OR 1=1"}').toString('base64url'),
    Buffer.from('{"s":"relevance","a":"1","p":-1}').toString('base64url'),
  ])('refuses %j with a 400 naming cursor', (raw) => {
    expect(() => decodeCursor(raw, 'recent')).toThrow(AppException);
  });
});

describe('relevance score', () => {
  it('prefers word-initial and repeated matches, and shorter messages', () => {
    const t = parseQuery('부산');
    expect(relevanceScore('부산에서 만나요', t)).toBeGreaterThan(relevanceScore('해운대부산 만나요', t));
    expect(relevanceScore('부산 부산 부산', t)).toBeGreaterThan(relevanceScore('부산 좋아', t));
    expect(relevanceScore('부산', t)).toBeGreaterThan(relevanceScore(`부산 ${'가'.repeat(300)}`, t));
    expect(relevanceScore('bus stop', parseQuery('bus'))).toBeGreaterThan(relevanceScore('busan', parseQuery('bus')));
  });
});
