import { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The generated AsyncAPI document (npm run openapi:generate); the Docker image ships it too. */
export const ASYNCAPI_FILE = findUp(path.join('openapi', 'asyncapi.json'));

/** The file's path from the project root, found from here whether the app runs from src/ or dist/src/. */
function findUp(relative: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(path.join(dir, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(relative);
    dir = parent;
  }
}

/** GET /docs/asyncapi.json beside Swagger UI: the Socket.IO events for web clients. */
export function serveAsyncApi(app: INestApplication): void {
  let body: string | undefined;
  const express = app.getHttpAdapter().getInstance() as Express;
  express.get('/docs/asyncapi.json', (_req, res) => {
    body ??= readFileSync(ASYNCAPI_FILE, 'utf8');
    res.type('application/json').send(body);
  });
}
