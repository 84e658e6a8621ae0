import { QueryPatterns, tablesOf } from './query-patterns';

describe('QueryPatterns', () => {
  it('reads the tables of TypeORM statements', () => {
    expect([...tablesOf('SELECT "u"."id" FROM "user" "u" LEFT JOIN "profile" "p" ON "p"."userId" = "u"."id"')]).toEqual([
      'user',
      'profile',
    ]);
    expect([...tablesOf('SELECT 1 FROM public."travel" t INNER JOIN planet p ON p."travelId" = t.id')]).toEqual(['travel', 'planet']);
  });

  it('counts, per route, the requests reading each entity of a pair, both, and both in one statement', () => {
    const q = new QueryPatterns(1);
    const s = (...tables: string[]) => new Set(tables);
    // 3 requests: user+profile joined, user+profile in two statements, user alone.
    q.record('/api/v1/users/me', [s('user', 'profile')]);
    q.record('/api/v1/users/me', [s('user'), s('profile')]);
    q.record('/api/v1/planets', [s('user')]);
    // messages: one page with receipts, four without.
    q.record('/api/v1/planets/:planetId/messages', [s('message'), s('message_read_receipt')]);
    for (let i = 0; i < 4; i++) q.record('/api/v1/planets/:planetId/messages', [s('message')]);

    const r = q.report();
    expect(r.sampledRequests).toBe(8);
    const me = r.routes.find((x) => x.route === '/api/v1/users/me')!;
    expect(me).toMatchObject({ requests: 2, selects: 3 });
    expect(me.pairs['User–Profile']).toEqual({ first: 2, second: 2, both: 2, joined: 1 });
    const [userProfile, travelPlanet, messageReceipt] = r.pairs;
    expect(userProfile).toMatchObject({ first: 3, both: 2, joined: 1, inOneQuery: 0.5, decision: 'explicit (separate loader)' });
    expect(userProfile.together).toBeCloseTo(2 / 3);
    expect(travelPlanet).toMatchObject({ first: 0, together: null, decision: 'no data' });
    expect(messageReceipt).toMatchObject({ first: 5, both: 1, together: 0.2, decision: 'explicit (separate loader)', seedGuess: 0.1 });

    for (let i = 0; i < 10; i++) q.record('/api/v1/users/me', [s('user', 'profile')]);
    expect(q.report().pairs[0]).toMatchObject({ first: 13, both: 12, decision: 'eager (one query)' });
    q.reset();
    expect(q.report().sampledRequests).toBe(0);
  });

  it('samples nothing at rate 0', () => {
    const q = new QueryPatterns(0);
    expect(q.enabled).toBe(false);
    q.observe('SELECT 1 FROM "user"');
    expect(q.report().sampledRequests).toBe(0);
  });
});
