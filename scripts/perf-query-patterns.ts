/*
 * `yarn perf:query-patterns [--url http://127.0.0.1:3000] [--json]`: the query-pattern report of a
 * running instance (GET /admin/query-patterns with ADMIN_TOKEN from the environment / .env): how
 * often a request that reads User also reads Profile, Travel → Planet, Message → read receipts,
 * next to the seed's guesses, and whether in one statement; and the decision (eager at or above
 * the threshold, else explicit). Run traffic first (bench/load does, and prints this table).
 */
import { loadDotenv } from '../src/config/load-dotenv';
import type { QueryPatternReport } from '../src/infrastructure/metrics/query-patterns';

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);

export function formatQueryPatterns(r: QueryPatternReport): string {
  const rows = r.pairs.map((p) => [p.label, pct(p.seedGuess), pct(p.together), `${p.both}/${p.first}`, pct(p.inOneQuery), p.decision]);
  const head = ['pair', 'seed guess', 'read together', 'both/first', 'in one query', 'decision'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join('  ');
  const routes = r.routes.map((x) => {
    const pairs = Object.entries(x.pairs)
      .filter(([, c]) => c.first + c.second > 0)
      .map(([k, c]) => `${k} ${c.both}/${c.first}${c.joined ? ` (${c.joined} joined)` : ''}`)
      .join(', ');
    return `  ${String(x.requests).padStart(6)}  ${x.route}${pairs ? `: ${pairs}` : ''}`;
  });
  return [
    `${r.sampledRequests} sampled requests (QUERY_PATTERN_SAMPLE_RATE=${r.sampleRate}); eager at ≥ ${pct(r.eagerThreshold)} read together`,
    line(head),
    ...rows.map(line),
    '',
    'per route (requests; pairs as both/first):',
    ...routes,
  ].join('\n');
}

async function main(): Promise<void> {
  loadDotenv();
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const urlArg =
    argv.find((a) => a.startsWith('--url='))?.split('=')[1] ?? (argv.includes('--url') ? argv[argv.indexOf('--url') + 1] : undefined);
  const base = urlArg ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error('set ADMIN_TOKEN (the instance’s admin token) in the environment or .env');
  const res = await fetch(`${base}/admin/query-patterns`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${base}/admin/query-patterns answered ${res.status}: ${await res.text()}`);
  const report = (await res.json()) as QueryPatternReport;
  console.log(json ? JSON.stringify(report, null, 2) : formatQueryPatterns(report));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`perf:query-patterns: ${(err as Error).message}`);
    process.exit(1);
  });
}
