/*
 * `npm run openapi:generate`: writes openapi/openapi.json from the app's decorators (no PostgreSQL or
 * Redis needed). `npm run openapi:check`: exits 1 when the committed file differs from what the app
 * generates, so API changes show up in review and client teams can diff releases.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDocumentApp } from '../src/bootstrap';
import { createOpenApiDocument } from '../src/common/openapi/openapi-document';
import { validateEnv } from '../src/config/env';

export const OPENAPI_FILE = path.resolve(__dirname, '..', 'openapi', 'openapi.json');

/** The document as committed: 2-space JSON with a final newline. */
export async function generateOpenApiText(): Promise<string> {
  const app = await createDocumentApp(validateEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
  try {
    return `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const text = await generateOpenApiText();
  const rel = path.relative(process.cwd(), OPENAPI_FILE);
  if (!check) {
    writeFileSync(OPENAPI_FILE, text);
    console.log(`openapi: wrote ${rel}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(OPENAPI_FILE, 'utf8');
  } catch {
    // missing: reported below
  }
  if (committed === text) {
    console.log(`openapi: ${rel} is up to date`);
    return;
  }
  console.error(`openapi: ${rel} differs from what the app generates. Run \`npm run openapi:generate\` and commit the result.`);
  process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('openapi: failed:', err);
    process.exit(1);
  });
}
