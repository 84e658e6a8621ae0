import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads `.env` from the project root when it exists (Node's own loader; variables already set in
 * the real environment win). Skipped under jest so a developer's `.env` never leaks into tests.
 */
export function loadDotenv(): void {
  if (process.env.NODE_ENV === 'test' || process.env.JEST_WORKER_ID) return;
  for (const candidate of [resolve(__dirname, '..', '..', '.env'), resolve(__dirname, '..', '..', '..', '.env')]) {
    if (existsSync(candidate)) {
      process.loadEnvFile(candidate);
      return;
    }
  }
}
