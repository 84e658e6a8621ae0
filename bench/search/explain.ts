/*
 * node -r ts-node/register/transpile-only bench/search/explain.ts [query …]
 *
 * On the benchmark database (connecto_bench_search, loaded by `npm run bench:search`): for each
 * query, the strategy Message.search picks, its estimate, the time of each step, and
 * EXPLAIN (ANALYZE, BUFFERS) of the match queries. Run it under the bench lock on a shared machine.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createDataSource } from '../../src/config/database.config';
import { SearchDto } from '../../src/modules/message/dto/search.dto';
import { Message } from '../../src/modules/message/message.entity';
import { planMatch, RANGE_MAX, RANGE_MIN, searchMessages, SearchStrategy } from '../../src/modules/message/search/message-search';
import { lexemeStats } from '../../src/modules/message/search/search-stats';
import { parseQuery } from '../../src/modules/message/search/search-terms';
import { PlanetUser } from '../../src/modules/planet/planet-user.entity';
import { benchEnv } from '../bench-db';

const env = benchEnv(process.env.BENCH_DB ?? 'connecto_bench_search', { DATABASE_MIN_CONNECTIONS: '0', DATABASE_MAX_CONNECTIONS: '2' });

const DEFAULT = [
  '데비안',
  '배포판',
  '업그레이드',
  '설치하는',
  'debi',
  'dpkg',
  'linu',
  'gnu',
  'kern',
  '데비안 패키지',
  '설치 커널',
  'debian 패키지',
  '패키지 dpkg',
  '소스 코드',
];
const ANALYZE = process.env.EXPLAIN !== '0';

async function median(f: () => Promise<unknown>, n = 7): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return +xs[n >> 1].toFixed(1);
}

async function main(): Promise<void> {
  const ds = createDataSource(env);
  await ds.initialize();
  try {
    const user = { id: 1, email: 'bench1@example.com' };
    const planets = await PlanetUser.activePlanetIds(user.id);
    const stats = await lexemeStats(Message.managerOf());
    const queries = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT;
    for (const query of queries) {
      const plan = planMatch(planets, parseQuery(query), stats);
      const dto = (sort: 'recent' | 'relevance') => Object.assign(new SearchDto(), { query, limit: 20, sort });
      const line: string[] = [
        `${query}: ${plan.strategy} (estimate ${Math.round(plan.estimate)} rows; index ${String(plan.index.params[1])})`,
      ];
      for (const strategy of ['ordered', 'index', 'scan'] as SearchStrategy[]) {
        const recent = await median(() => searchMessages(Message.managerOf(), user, dto('recent'), { strategy }));
        const relevance = await median(() => searchMessages(Message.managerOf(), user, dto('relevance'), { strategy }));
        line.push(`${strategy} ${recent}/${relevance} ms`);
      }
      console.log(line.join(' | '));
      if (!ANALYZE) continue;
      const show = async (label: string, sql: string, params: unknown[]) => {
        const rows = await Message.managerOf().query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        console.log(`  -- ${label}\n${rows.map((r) => `     ${r['QUERY PLAN']}`).join('\n')}`);
      };
      const sel = (where: string, tail: string) => `SELECT m.id FROM message m WHERE ${where} ${tail}`;
      if (plan.strategy === 'ordered') await show('ordered', sel(plan.index.where, 'ORDER BY m.id DESC LIMIT 1001'), plan.index.params);
      else
        await show(
          plan.strategy,
          sel(plan.strategy === 'index' ? plan.index.where : plan.filter.where, 'LIMIT 1001'),
          plan.strategy === 'index' ? plan.index.params : plan.filter.params,
        );
      if (plan.strategy === 'scan') await show('walk 200', sel(plan.filter.where, 'ORDER BY m.id DESC LIMIT 200'), plan.filter.params);
      if (plan.strategy === 'index') {
        const [{ max }] = await Message.managerOf().query<{ max: string }[]>(`SELECT max(id)::text AS max FROM message`);
        const range = Math.round(Math.min(RANGE_MAX, Math.max(RANGE_MIN, 600 / (plan.estimate / stats.rows))));
        const n = plan.index.params.length;
        await show(
          `range ${range}`,
          sel(`${plan.index.where} AND m.id > $${n + 1}::bigint AND m.id <= $${n + 2}::bigint`, 'ORDER BY m.id DESC LIMIT 200'),
          [...plan.index.params, (BigInt(max) - BigInt(range)).toString(), max],
        );
      }
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
