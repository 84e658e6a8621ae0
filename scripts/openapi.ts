/*
 * `npm run openapi:generate`: writes what client teams build against, from the code (no PostgreSQL or
 * Redis needed):
 *   openapi/openapi.json       the OpenAPI document (the same as /docs/json), from the controllers and DTOs
 *   openapi/connecto-api.d.ts  TypeScript types of it, by openapi-typescript 7 (for openapi-fetch)
 *   openapi/asyncapi.json      the AsyncAPI 3 document of the Socket.IO events (/docs/asyncapi.json),
 *                              from the typed event map (scripts/asyncapi.ts)
 * `npm run openapi:check`: exits 1 when a committed file differs from what the code generates, so API
 * changes show up in review and client teams can diff releases.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDocumentApp } from '../src/bootstrap';
import { ASYNCAPI_FILE } from '../src/common/openapi/asyncapi-route';
import { createOpenApiDocument } from '../src/common/openapi/openapi-document';
import { validateEnv } from '../src/config/env';
import { generateAsyncApiText } from './asyncapi';

const DIR = path.resolve(__dirname, '..', 'openapi');
export const OPENAPI_FILE = path.join(DIR, 'openapi.json');
export const CLIENT_TYPES_FILE = path.join(DIR, 'connecto-api.d.ts');

/** The document as committed: 2-space JSON with a final newline. */
export async function generateOpenApiText(): Promise<string> {
  const app = await createDocumentApp(validateEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
  try {
    return `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

// Plain JavaScript (see its header): tests run it as a process.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateClientTypes } = require('./openapi-client-types') as { generateClientTypes(openApiText: string): Promise<string> };

/** Every generated file with its expected content. */
export async function generateAll(): Promise<{ file: string; text: string }[]> {
  const openApi = await generateOpenApiText();
  return [
    { file: OPENAPI_FILE, text: openApi },
    { file: CLIENT_TYPES_FILE, text: await generateClientTypes(openApi) },
    { file: ASYNCAPI_FILE, text: generateAsyncApiText() },
  ];
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const outputs = await generateAll();
  let stale = 0;
  for (const { file, text } of outputs) {
    const rel = path.relative(process.cwd(), file);
    if (!check) {
      writeFileSync(file, text);
      console.log(`openapi: wrote ${rel}`);
    } else if (readOrEmpty(file) !== text) {
      stale += 1;
      console.error(`openapi: ${rel} differs from what the code generates`);
    } else {
      console.log(`openapi: ${rel} is up to date`);
    }
  }
  if (stale > 0) {
    console.error('openapi: run `npm run openapi:generate` and commit the result');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('openapi: failed:', err);
    process.exit(1);
  });
}
