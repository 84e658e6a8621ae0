#!/usr/bin/env node
/*
 * `yarn typeorm <command>` / `npm run typeorm -- <command>`: the TypeORM CLI with this project's
 * DataSource (ormconfig.ts, through ts-node) added for the commands that need one, so the
 * ops commands work exactly as written: `yarn typeorm migration:run`.
 * Runs the compiled dist/ormconfig.js instead when ts-node or the sources are not there (production image).
 */
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const command = args[0] ?? '';
const needsDataSource = /^(migration:(run|revert|generate|show)|schema:|query|cache:clear)/.test(command);
const hasDataSource = args.some((a) => a === '-d' || a === '--dataSource' || a.startsWith('--dataSource='));

// TypeScript sources only where they exist: `npm prune --omit=dev` keeps ts-node (an optional
// peer of typeorm), so its presence alone does not mean a checkout (the Docker image has dist/ only).
let useTs = fs.existsSync(path.join(root, 'ormconfig.ts'));
try {
  require.resolve('ts-node');
  require.resolve('typescript');
} catch {
  useTs = false;
}
const compiled = path.join(root, 'dist', 'ormconfig.js');
if (!useTs && !fs.existsSync(compiled)) {
  console.error('typeorm: neither ts-node (dev dependencies) nor dist/ormconfig.js (npm run build) is available');
  process.exit(1);
}
if (needsDataSource && !hasDataSource) {
  args.push('-d', useTs ? path.join(root, 'ormconfig.ts') : compiled);
}
process.argv = [process.argv[0], 'typeorm', ...args];
if (useTs) {
  process.env.TS_NODE_TRANSPILE_ONLY ??= 'true';
  process.env.TS_NODE_PROJECT ??= path.join(root, 'tsconfig.json');
  require('ts-node').register();
}
require('typeorm/cli.js');
