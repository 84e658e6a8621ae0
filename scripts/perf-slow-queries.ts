/*
 * `yarn perf:slow-queries [--limit N] [--json]`: the slowest (by mean time) and the most frequent
 * statements of the app's database (the one the environment / .env names), from
 * pg_stat_statements: calls, mean, max and total time, rows. The same report as
 * GET /admin/slow-queries. When the extension is not loaded or not created it says so, and how to
 * enable it, and exits 0: it is a report, not a check.
 */
import 'reflect-metadata';
import { createDataSource } from '../src/config/database.config';
import { ConfigError, validateEnv } from '../src/config/env';
import { loadDotenv } from '../src/config/load-dotenv';
import { HOW_TO_START } from '../src/common/errors/boot.error';
import { SlowQueryReport, slowQueryReport, StatementStat } from '../src/modules/admin/slow-queries';

class UsageError extends Error {}

function parseArgs(argv: string[]): { limit: number; json: boolean } {
  let limit = 10;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--limit' || a.startsWith('--limit=')) {
      const v = a.includes('=') ? a.split('=')[1] : argv[++i];
      limit = Number(v);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError(`--limit must be an integer from 1 to 100 (got ${v})`);
    } else throw new UsageError(`unknown argument ${a}: use [--limit N] [--json]`);
  }
  return { limit, json };
}

const oneLine = (q: string, width: number) => {
  const s = q.replace(/\s+/g, ' ').trim();
  return s.length > width ? `${s.slice(0, width - 1)}…` : s;
};

function table(title: string, rows: StatementStat[]): string {
  const head = ['mean ms', 'max ms', 'calls', 'total ms', 'rows'];
  const cells = rows.map((r) => [r.meanMs.toFixed(3), r.maxMs.toFixed(3), String(r.calls), r.totalMs.toFixed(1), String(r.rows)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[], q: string) => `${c.map((v, i) => v.padStart(widths[i])).join('  ')}  ${q}`;
  return [title, line(head, 'statement'), ...cells.map((c, i) => line(c, oneLine(rows[i].query, 110)))].join('\n');
}

export function formatReport(r: SlowQueryReport): string {
  if (!r.available)
    return [
      `pg_stat_statements is not available for database "${r.database}": ${r.reason}.`,
      'How to enable it:',
      ...r.howToEnable.map((s) => `  - ${s}`),
    ].join('\n');
  const since = r.since ? ` (statistics since ${r.since})` : '';
  if (r.slowest.length === 0) return `pg_stat_statements has no statement of database "${r.database}" yet${since}.`;
  return [
    `database "${r.database}"${since}`,
    '',
    table('slowest statements (by mean time):', r.slowest),
    '',
    table('most frequent statements (by calls):', r.mostFrequent),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  loadDotenv();
  const env = validateEnv();
  const ds = createDataSource(env, { max: 1, min: 0 });
  try {
    await ds.initialize();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new ConfigError(
      `PostgreSQL is not reachable at ${env.DATABASE_HOST}:${env.DATABASE_PORT} (${e.code ?? e.message}): ${HOW_TO_START.postgres}`,
    );
  }
  try {
    const report = await slowQueryReport(ds, args.limit);
    console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError) console.error(`perf:slow-queries: ${err.message}`);
    else console.error('perf:slow-queries: failed:', err);
    process.exit(1);
  });
}
