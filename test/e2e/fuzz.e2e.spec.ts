import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { connectSocket, ClientSocket, emitAck } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Property-based fuzzing of every route in /docs/json and of every socket event (issue #7): with a
 * fixed seed and a bounded count, whatever a client sends gets no 5xx, every error is in the one
 * shape, and a refused request writes nothing. Inputs mix values shaped like the documented
 * schema with what an attacker sends: odd id spellings, lone surrogates, NUL, deep nesting,
 * huge strings, wrong types.
 */
const SEED = 20261202;
const RUNS_PER_ROUTE = 20;
const RUNS_PER_EVENT = 60;

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  required?: string[];
  allOf?: Schema[];
};
interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Strings up to 10^maxPower characters (sockets stay under SOCKET_MAX_PAYLOAD_BYTES, whose excess closes the connection by design). */
const hostileStringUpTo = (maxPower: number) =>
  fc.oneof(
    fc.constantFrom('0x1', '1e0', '+1', '1.0', '1\n', ' 1', '-1', '0', '01', '99999999999999999999', '１', 'NaN', 'null', '[]', '{}'),
    fc.constantFrom(
      '\ud800',
      'a\udfffb',
      '\u0000',
      'a\u200bb',
      '\u202Eevil',
      '😀\u200d',
      "'; DROP TABLE message; --",
      '%00',
      '부산에서 만나요',
    ),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer({ min: 1, max: maxPower }).map((n) => 'x'.repeat(10 ** n)),
  );
const hostileString = hostileStringUpTo(6);
const deepValue = fc.integer({ min: 20, max: 3000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown);
const hostileValueWith = (str: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    str,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    deepValue,
    fc.array(fc.integer(), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  );
const hostileValue = hostileValueWith(hostileString);
/** Path segments as a client would send them (a lone surrogate cannot be percent-encoded: it goes as the bytes of U+FFFD). */
const segment = (v: string) =>
  encodeURIComponent(v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

function resolve(schema: Schema | undefined, doc: OpenApiDoc): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(doc.components?.schemas?.[schema.$ref.split('/').pop() as string], doc);
  if (schema.allOf)
    return schema.allOf
      .map((s) => resolve(s, doc))
      .reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
  return schema;
}

/** A value of the schema's type most of the time, a hostile one otherwise. */
function valueFor(schema: Schema | undefined, doc: OpenApiDoc, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc);
  let typed: fc.Arbitrary<unknown>;
  if (s.enum) typed = fc.constantFrom(...s.enum);
  else if (s.type === 'integer' || s.type === 'number') typed = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer());
  else if (s.type === 'boolean') typed = fc.boolean();
  else if (s.type === 'array') typed = fc.array(valueFor(s.items, doc, depth + 1), { maxLength: 4 });
  else if (s.type === 'object' || s.properties) typed = depth > 3 ? fc.constant({}) : bodyFor(s, doc, depth + 1);
  else typed = fc.oneof(fc.constantFrom('부산', '1', 'connecto123!', 'fuzz@example.com'), fc.string({ maxLength: 12 }));
  return fc.oneof({ weight: 3, arbitrary: typed }, { weight: 1, arbitrary: hostileValue });
}

function bodyFor(schema: Schema, doc: OpenApiDoc, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc);
  const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, valueFor(v, doc, depth)]));
  const shaped = fc.record(props, { requiredKeys: [] });
  const extra = fc
    .tuple(shaped, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), hostileValue, { maxKeys: 2 }))
    .map(([a, b]) => ({ ...b, ...a }));
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: extra }, { weight: 1, arbitrary: hostileValue });
}

/** Every stored row, hashed: equal before and after a refused request. */
const FINGERPRINT = `
  SELECT md5(coalesce(string_agg(h, ',' ORDER BY h), '')) AS fp FROM (
    SELECT md5(t::text) h FROM "user" t UNION ALL SELECT md5(t::text) FROM profile t UNION ALL
    SELECT md5(t::text) FROM travel t UNION ALL SELECT md5(t::text) FROM travel_user t UNION ALL
    SELECT md5(t::text) FROM planet t UNION ALL SELECT md5(t::text) FROM planet_user t UNION ALL
    SELECT md5(t::text) FROM message t UNION ALL SELECT md5(t::text) FROM message_read_receipt t UNION ALL
    SELECT md5(t::text) FROM media t UNION ALL SELECT md5(t::text) FROM refresh_token t) rows`;

function expectErrorShape(status: number, body: unknown, where: string): void {
  const b = body as { statusCode?: unknown; error?: unknown; message?: unknown; details?: unknown };
  const ok =
    typeof b === 'object' &&
    b !== null &&
    b.statusCode === status &&
    typeof b.error === 'string' &&
    typeof b.message === 'string' &&
    (b.details === undefined ||
      (Array.isArray(b.details) &&
        b.details.every((d: { field?: unknown; problem?: unknown }) => typeof d.field === 'string' && typeof d.problem === 'string')));
  if (!ok) throw new Error(`${where}: ${status} without the error shape: ${JSON.stringify(body)}`);
}

describe('fuzzing every route and socket event', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  let token: string;
  let ds: DataSource;
  const fingerprint = async () => (await ds.query<{ fp: string }[]>(FINGERPRINT))[0].fp;

  beforeAll(async () => {
    t = await startTestApp({ tag: 'fuzz' });
    ds = t.app.get(DataSource);
    doc = (await t.http.get('/docs/json').expect(200)).body as OpenApiDoc;
    const reg = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'fuzzer@example.com', password: 'connecto123!', nickname: '퍼저' })
      .expect(201);
    token = reg.body.accessToken as string;
    const travel = await t.http
      .post('/api/v1/travels')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: '퍼즈 여행', visibility: 'PUBLIC' })
      .expect(201);
    const planet = await t.http
      .post(`/api/v1/travels/${travel.body.id}/planets`)
      .set('Authorization', `Bearer ${token}`)
      .send({ name: '퍼즈 방' })
      .expect(201);
    await t.http
      .post(`/api/v1/planets/${planet.body.id}/messages`)
      .set('Authorization', `Bearer ${token}`)
      .send({ content: '부산에서 만나요' })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const routes = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
        // Deleting the fuzzer's own account would turn every later request into a 401.
        .filter(([method, _op]) => !(method === 'delete' && path === '/api/v1/users/me'))
        .map(([method, op]) => ({ path, method, op })),
    );

  it('documents routes to fuzz', () => {
    expect(routes().length).toBeGreaterThan(20);
  });

  it('answers every fuzzed request below 500, errors in the one shape, refused requests writing nothing', async () => {
    let requests = 0;
    for (const { path, method, op } of routes()) {
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const request = fc.record({
        path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof(fc.constantFrom('1', '2', '3'), hostileString)]))),
        query: fc.record(
          Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(valueFor(p.schema, doc).map(String), hostileString)])),
          { requiredKeys: [] },
        ),
        body: bodySchema ? bodyFor(bodySchema, doc) : fc.constant(undefined),
        authed: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => segment(r.path[name] ?? ''));
          const before = await fingerprint();
          const agent = t.http as unknown as Record<string, (u: string) => import('supertest').Test>;
          let req = agent[method](url).query(r.query as Record<string, string>);
          if (r.authed) req = req.set('Authorization', `Bearer ${token}`);
          if (r.body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(r.body));
          const res = await req;
          requests += 1;
          const where = `${method.toUpperCase()} ${url}`;
          if (res.status >= 500) throw new Error(`${where} answered ${res.status}: ${JSON.stringify(res.body)}`);
          if (res.status >= 400) {
            expectErrorShape(res.status, res.body, where);
            if ((await fingerprint()) !== before) throw new Error(`${where} was refused with ${res.status} but changed stored rows`);
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect(requests).toBeGreaterThan(routes().length * RUNS_PER_ROUTE * 0.9);
  }, 300_000);

  describe('socket events', () => {
    let socket: ClientSocket;
    beforeAll(async () => {
      socket = await connectSocket(t.url, token);
    });
    afterAll(() => {
      socket.close();
    });

    const v = hostileValueWith(hostileStringUpTo(5));
    const payload = fc.oneof(
      fc.record(
        { planetId: fc.oneof(fc.constant(1), v), content: v, replyToMessageId: v, mediaIds: v, clientId: v, messageId: v },
        { requiredKeys: [] },
      ),
      v,
    );

    it.each(['message:send', 'message:read'])('acks every fuzzed %s with ok or an error in the one shape, never a 5xx', async (event) => {
      await fc.assert(
        fc.asyncProperty(payload, async (p) => {
          const before = await fingerprint();
          const ack = await emitAck<{ ok: boolean; error?: { statusCode: number } }>(socket, event, p);
          if (ack.ok) return;
          const status = ack.error?.statusCode ?? 0;
          if (status >= 500 || status < 400) throw new Error(`${event} acked ${JSON.stringify(ack)}`);
          expectErrorShape(status, { error: 'x', ...ack.error }, event);
          if ((await fingerprint()) !== before) throw new Error(`${event} was refused with ${status} but changed stored rows`);
        }),
        { seed: SEED, numRuns: RUNS_PER_EVENT, endOnFailure: true },
      );
      expect(socket.connected).toBe(true);
    });

    it('survives fuzzed typing events (no ack) and keeps the connection', async () => {
      await fc.assert(
        fc.asyncProperty(payload, async (p) => {
          socket.emit('typing:start', p);
          socket.emit('typing:stop', p);
        }),
        { seed: SEED, numRuns: RUNS_PER_EVENT },
      );
      const ack = await emitAck<{ ok: boolean }>(socket, 'message:read', { planetId: 1, messageId: '1' });
      expect(ack).toHaveProperty('ok');
      expect(socket.connected).toBe(true);
    });
  });
});
