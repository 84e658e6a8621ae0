import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { isOpsPath, routeTemplate } from './http-metrics';

/**
 * Query-pattern analysis (the seed's Phase 4): for a sample of HTTP requests, which tables each
 * SELECT read, so a report can say how often two related entities are read in the same request,
 * and whether in one statement (a join) or in separate ones (explicit loaders). The relation pairs
 * are the seed's: User–Profile, Travel–Planet, Message–read receipts.
 *
 * A sampled request runs inside an AsyncLocalStorage context; the pool's query wrapper
 * (db-metrics.ts) hands each statement to `observe`, which only parses the statement when a
 * context is active. QUERY_PATTERN_SAMPLE_RATE = 0 turns it off (no context, no parsing).
 */

/** [first, second, label, the seed's guess of how often they are read together]. */
export const RELATION_PAIRS = [
  { first: 'user', second: 'profile', label: 'User–Profile', seedGuess: 0.95 },
  { first: 'travel', second: 'planet', label: 'Travel–Planet', seedGuess: 0.3 },
  { first: 'message', second: 'message_read_receipt', label: 'Message–ReadReceipt', seedGuess: 0.1 },
] as const;

/** At or above this share of the first entity's reads, the pair is loaded in one query. */
export const EAGER_THRESHOLD = 0.8;

interface Trace {
  /** Tables of each SELECT, in order. */
  statements: Set<string>[];
}

export interface PairCounts {
  /** Sampled requests that read the first table / the second / both / both in one statement. */
  first: number;
  second: number;
  both: number;
  joined: number;
}

export interface RoutePattern {
  route: string;
  requests: number;
  selects: number;
  pairs: Record<string, PairCounts>;
}

export interface PairSummary extends PairCounts {
  label: string;
  seedGuess: number;
  /** both / first: how often a request that reads the first entity also reads the second (null: never read). */
  together: number | null;
  /** joined / both: of those, how often already in one statement. */
  inOneQuery: number | null;
  decision: 'eager (one query)' | 'explicit (separate loader)' | 'no data';
}

export interface QueryPatternReport {
  sampleRate: number;
  sampledRequests: number;
  eagerThreshold: number;
  pairs: PairSummary[];
  routes: RoutePattern[];
}

/** Quoted or bare table names after FROM / JOIN (TypeORM quotes them: `FROM "user" "u"`). */
const TABLE = /\b(?:FROM|JOIN)\s+(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?/gi;
const SELECT = /^\s*(?:SELECT|WITH)\b/i;

export function tablesOf(sql: string): Set<string> {
  const out = new Set<string>();
  for (const m of sql.matchAll(TABLE)) out.add(m[1].toLowerCase());
  return out;
}

const emptyPairs = (): Record<string, PairCounts> =>
  Object.fromEntries(RELATION_PAIRS.map((p) => [p.label, { first: 0, second: 0, both: 0, joined: 0 }]));

export class QueryPatterns {
  private readonly storage = new AsyncLocalStorage<Trace>();
  private readonly routes = new Map<string, RoutePattern>();

  constructor(readonly sampleRate: number) {}

  get enabled(): boolean {
    return this.sampleRate > 0;
  }

  /** Pool hook: records the tables of a SELECT made inside a sampled request. */
  observe(sql: string): void {
    const trace = this.storage.getStore();
    if (trace && SELECT.test(sql)) trace.statements.push(tablesOf(sql));
  }

  /** Express middleware: samples requests (QUERY_PATTERN_SAMPLE_RATE) and records their statements by route template. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (!this.enabled || isOpsPath(req.url) || Math.random() >= this.sampleRate) return next();
      const trace: Trace = { statements: [] };
      res.once('finish', () => this.record(routeTemplate(req), trace.statements));
      this.storage.run(trace, next);
    };
  }

  /** Adds one request's statements (each a set of tables) to its route. */
  record(route: string, statements: Set<string>[]): void {
    let r = this.routes.get(route);
    if (!r) this.routes.set(route, (r = { route, requests: 0, selects: 0, pairs: emptyPairs() }));
    r.requests++;
    r.selects += statements.length;
    const read = new Set(statements.flatMap((s) => [...s]));
    for (const p of RELATION_PAIRS) {
      const c = r.pairs[p.label];
      const first = read.has(p.first);
      const second = read.has(p.second);
      if (first) c.first++;
      if (second) c.second++;
      if (first && second) {
        c.both++;
        if (statements.some((s) => s.has(p.first) && s.has(p.second))) c.joined++;
      }
    }
  }

  reset(): void {
    this.routes.clear();
  }

  report(): QueryPatternReport {
    const routes = [...this.routes.values()].sort((a, b) => b.requests - a.requests);
    const pairs = RELATION_PAIRS.map((p): PairSummary => {
      const c = routes.reduce(
        (acc, r) => {
          const x = r.pairs[p.label];
          return { first: acc.first + x.first, second: acc.second + x.second, both: acc.both + x.both, joined: acc.joined + x.joined };
        },
        { first: 0, second: 0, both: 0, joined: 0 },
      );
      const together = c.first > 0 ? c.both / c.first : null;
      return {
        label: p.label,
        seedGuess: p.seedGuess,
        ...c,
        together,
        inOneQuery: c.both > 0 ? c.joined / c.both : null,
        decision: together === null ? 'no data' : together >= EAGER_THRESHOLD ? 'eager (one query)' : 'explicit (separate loader)',
      };
    });
    return {
      sampleRate: this.sampleRate,
      sampledRequests: routes.reduce((a, r) => a + r.requests, 0),
      eagerThreshold: EAGER_THRESHOLD,
      pairs,
      routes,
    };
  }
}
