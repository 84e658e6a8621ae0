import { readFileSync } from 'node:fs';
import { generateOpenApiText, OPENAPI_FILE } from '../../scripts/openapi';
import { startTestApp, TestApp } from '../helpers/test-app';
import { isPublicRoute, registeredRoutes } from '../helpers/routes';

interface Schema {
  $ref?: string;
  required?: string[];
  allOf?: Schema[];
}
interface Operation {
  summary?: string;
  responses?: Record<string, { content?: Record<string, { schema?: Schema }>; description?: string }>;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
}
interface Document {
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const ERROR_FIELDS = ['statusCode', 'error', 'message'];

describe('the OpenAPI document at /docs/json', () => {
  let t: TestApp;
  let spec: Document;
  beforeAll(async () => {
    t = await startTestApp({ tag: 'openapi' });
    spec = (await t.http.get('/docs/json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');
  const operations = () =>
    Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  /** The error shape's fields a response schema guarantees (through a $ref, or a schema that extends it). */
  const requiredOf = (schema: Schema | undefined): string[] => {
    if (!schema) return [];
    if (schema.$ref) return requiredOf(spec.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
    return [...(schema.required ?? []), ...(schema.allOf ?? []).flatMap(requiredOf)];
  };

  it('describes every registered API route', () => {
    const missing = registeredRoutes(t.app)
      .filter((r) => r.path.startsWith('/api/v1/'))
      // The local storage driver's signed URLs: handed out by POST /media/uploads and GET /media/:id, not an API to call.
      .filter((r) => !r.path.startsWith('/api/v1/storage/'))
      .filter((r) => !spec.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('is the committed openapi/openapi.json (run `npm run openapi:generate` after changing a route or DTO)', async () => {
    const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    expect(spec).toEqual(committed);
    // The generator (no services, Nest preview mode) writes exactly what it would commit.
    expect(await generateOpenApiText()).toBe(readFileSync(OPENAPI_FILE, 'utf8'));
  });

  it('gives every operation a summary, and every 2xx JSON answer a schema', () => {
    const problems: string[] = [];
    for (const { path, method, op } of operations()) {
      if (!op.summary?.trim()) problems.push(`${method} ${path}: no summary (@ApiOperation({ summary }))`);
      const ok = Object.entries(op.responses ?? {}).filter(([code]) => code.startsWith('2'));
      if (ok.length === 0) problems.push(`${method} ${path}: no 2xx response`);
      for (const [code, res] of ok) if (code !== '204' && !res.content) problems.push(`${method} ${path}: ${code} without a schema`);
    }
    expect(problems).toEqual([]);
  });

  it('documents every error answer with the one error shape', () => {
    expect(spec.components.schemas.ErrorResponseDto.required).toEqual(ERROR_FIELDS);
    const problems: string[] = [];
    for (const { path, method, op } of operations()) {
      for (const [code, res] of Object.entries(op.responses ?? {})) {
        if (Number(code) < 400) continue;
        const fields = requiredOf(res.content?.['application/json']?.schema);
        if (!ERROR_FIELDS.every((f) => fields.includes(f))) problems.push(`${method} ${path}: ${code} is not the error shape`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares security as the route-protection test enforces it: [] on public routes, bearer (with a 401) on every other', () => {
    expect(spec.security).toEqual([{ bearer: [] }]);
    const problems: string[] = [];
    for (const { path, method, op } of operations()) {
      const effective = op.security ?? spec.security ?? [];
      if (isPublicRoute(path)) {
        if (!Array.isArray(op.security) || op.security.length > 0)
          problems.push(`${method} ${path}: public, but security is ${JSON.stringify(op.security)}`);
      } else {
        if (JSON.stringify(effective) !== JSON.stringify([{ bearer: [] }]))
          problems.push(`${method} ${path}: protected, but security is ${JSON.stringify(effective)}`);
        if (!op.responses?.['401']) problems.push(`${method} ${path}: protected, but no 401`);
      }
      if ((op.parameters?.length || op.requestBody) && !op.responses?.['400']) problems.push(`${method} ${path}: takes input, but no 400`);
    }
    expect(problems).toEqual([]);
  });

  it('answers a real error in the documented shape', async () => {
    const res = await t.http.get('/api/v1/messages/search').set('Authorization', 'Bearer not-a-jwt').expect(401);
    expect(Object.keys(res.body).sort()).toEqual([...ERROR_FIELDS].sort());
    const schema = spec.components.schemas.ErrorResponseDto as Schema & { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual(['details', ...ERROR_FIELDS].sort());
  });
});
