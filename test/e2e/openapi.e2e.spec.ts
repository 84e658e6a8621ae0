import { startTestApp, TestApp } from '../helpers/test-app';
import { registeredRoutes } from '../helpers/routes';

interface Operation {
  responses?: Record<string, { content?: unknown; description?: string }>;
  security?: unknown[];
  parameters?: { name: string; in: string }[];
}

describe('the OpenAPI document at /docs/json', () => {
  let t: TestApp;
  let spec: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await startTestApp({ tag: 'openapi' });
    spec = (await t.http.get('/docs/json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

  it('describes every registered API route', () => {
    const missing = registeredRoutes(t.app)
      .filter((r) => r.path.startsWith('/api/v1/'))
      // The local storage driver's signed URLs: handed out by POST /media/uploads and GET /media/:id, not an API to call.
      .filter((r) => !r.path.startsWith('/api/v1/storage/'))
      .filter((r) => !spec.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('gives every 2xx JSON answer a schema and marks protected routes with bearer auth', () => {
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses ?? {}).filter(([code]) => code.startsWith('2'));
        if (ok.length === 0) problems.push(`${method} ${path}: no 2xx response`);
        for (const [code, res] of ok) if (code !== '204' && !res.content) problems.push(`${method} ${path}: ${code} without a schema`);
        if (!path.startsWith('/api/v1/auth/') && !(op.security ?? []).length) problems.push(`${method} ${path}: no bearer auth`);
      }
    }
    expect(problems).toEqual([]);
  });
});
