import { DataSource } from 'typeorm';
import { createUser, UserFixture } from '../factories/user.factory';
import { freePort } from '../helpers/net';
import { parsePrometheus, metricTypes, Sample, select, sum } from '../helpers/prometheus';
import { registeredRoutes } from '../helpers/routes';
import { ClientSocket, connectSocket, emitAck, SocketRecorder } from '../helpers/socket';
import { planetWith } from '../factories';
import { startTestApp, TestApp } from '../helpers/test-app';

const TOKEN = 'metrics-token-for-the-e2e-suite';
const POPULAR = 'travel:popular';

interface Ack {
  ok: boolean;
  message?: { id: string };
  error?: { statusCode: number };
}

describe('GET /metrics after traffic', () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let planetId: number;
  const sockets: ClientSocket[] = [];
  let before: Sample[];
  let after: Sample[];
  let afterText: string;

  const scrape = async (): Promise<string> => {
    const res = await t.http
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body as string;
  };
  const moved = (name: string, labels: Record<string, string> = {}) => sum(after, name, labels) - sum(before, name, labels);
  const requests = (labels: Record<string, string>) => moved('connecto_http_request_duration_seconds_count', labels);

  beforeAll(async () => {
    // A send budget of 2, so the third send is refused.
    t = await startTestApp({ tag: 'metrics', env: { METRICS_TOKEN: TOKEN, RATE_LIMIT_SEND: '2/60s' } });
    [alice, bob] = await Promise.all([createUser(t.env), createUser(t.env)]);
    planetId = await planetWith(alice, [bob]);
    before = parsePrometheus(await scrape());

    // REST: a 200, an unknown route (404), a 404 on a known route, a 400, a cache miss, a hit and an invalidation.
    await t.http.get('/api/v1/planets').set(alice.auth).expect(200);
    await t.http.get('/api/v1/no/such/route/123').set(alice.auth).expect(404);
    await t.http.get('/nowhere/4567').expect(404);
    await t.http.get('/api/v1/travels/987654').set(alice.auth).expect(404);
    await t.http.post(`/api/v1/planets/${planetId}/messages`).set(bob.auth).send({ content: 42 }).expect(400);
    await t.http.get('/api/v1/travels/popular').set(alice.auth).expect(200);
    await t.http.get('/api/v1/travels/popular').set(alice.auth).expect(200);
    await t.http.post('/api/v1/travels').set(alice.auth).send({ title: '부산 여행', visibility: 'PUBLIC' }).expect(201);

    // Socket.IO: two sockets, two sends (the second user receives them), a read, a third send over the limit, an unknown event.
    const a = await connectSocket(t.url, alice.token);
    const b = await connectSocket(t.url, bob.token);
    sockets.push(a, b);
    const bobEvents = new SocketRecorder(b);
    const aliceEvents = new SocketRecorder(a);
    const first = await emitAck<Ack>(a, 'message:send', { planetId, content: '안녕하세요' });
    expect(first.ok).toBe(true);
    expect((await emitAck<Ack>(a, 'message:send', { planetId, content: '두 번째' })).ok).toBe(true);
    await bobEvents.next('message:new', (m: { id: string }) => m.id === first.message?.id);
    const read = await emitAck<Ack>(b, 'message:read', { planetId, messageId: first.message?.id });
    expect(read.ok).toBe(true);
    await aliceEvents.next('receipt:updated', (r: { userId: number }) => r.userId === bob.user.id);
    const refused = await emitAck<Ack>(a, 'message:send', { planetId, content: '세 번째' });
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 429 } });
    a.emit('no:such:event', {});
    // The unknown event has no ack: a round trip on the same socket proves it was read.
    await emitAck(a, 'message:read', { planetId, messageId: first.message?.id });

    afterText = await scrape();
    after = parsePrometheus(afterText);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('refuses a scrape without the token, with a wrong one and with a user access token (401 in the error shape)', async () => {
    for (const header of [undefined, 'Bearer wrong-token-wrong-token', `Bearer ${alice.token}`, TOKEN]) {
      let req = t.http.get('/metrics');
      if (header) req = req.set('Authorization', header);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('metrics token') });
      expect(res.text).not.toContain('connecto_');
    }
    // Any other method or subpath too; with the token they are 404s.
    expect((await t.http.post('/metrics').send({})).status).toBe(401);
    expect((await t.http.get('/metrics/anything')).status).toBe(401);
    expect((await t.http.post('/metrics').set('Authorization', `Bearer ${TOKEN}`).send({})).status).toBe(404);
    expect((await t.http.get('/metrics/anything').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('times HTTP requests by method, route template and status code', () => {
    expect(requests({ method: 'GET', route: '/api/v1/planets', status_code: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: 'unmatched', status_code: '404' })).toBe(2);
    expect(requests({ method: 'GET', route: '/api/v1/travels/:id', status_code: '404' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/v1/planets/:planetId/messages', status_code: '400' })).toBe(1);
    expect(requests({ method: 'GET', route: '/api/v1/travels/popular', status_code: '200' })).toBe(2);
    expect(requests({ method: 'POST', route: '/api/v1/travels', status_code: '201' })).toBe(1);
    // A histogram: cumulative buckets up to +Inf, which equals the count, and a positive sum.
    const labels = { method: 'GET', route: '/api/v1/planets', status_code: '200' };
    const buckets = select(after, 'connecto_http_request_duration_seconds_bucket', labels);
    expect(buckets.map((b) => b.labels.le)).toEqual(expect.arrayContaining(['0.05', '0.1', '+Inf']));
    expect(select(buckets, 'connecto_http_request_duration_seconds_bucket', { le: '+Inf' })[0].value).toBe(
      sum(after, 'connecto_http_request_duration_seconds_count', labels),
    );
    expect(moved('connecto_http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
  });

  it('counts 4xx and 5xx answers by status class, and never counts the scrapes themselves', () => {
    expect(moved('connecto_http_request_errors_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(2);
    expect(
      moved('connecto_http_request_errors_total', { method: 'POST', route: '/api/v1/planets/:planetId/messages', status_class: '4xx' }),
    ).toBe(1);
    expect(moved('connecto_http_request_errors_total', { status_class: '5xx' })).toBe(0);
    // Two scrapes and four refused ones happened: none is a series.
    expect(after.filter((s) => s.labels.route === '/metrics')).toEqual([]);
  });

  it('counts sockets, the events they send and the acks they get, by known event name', () => {
    expect(sum(after, 'connecto_socket_connected') - sum(before, 'connecto_socket_connected')).toBe(2);
    expect(moved('connecto_socket_events_received_total', { event: 'message:send' })).toBe(3);
    expect(moved('connecto_socket_events_received_total', { event: 'message:read' })).toBe(2);
    expect(moved('connecto_socket_events_received_total', { event: 'unknown' })).toBe(1);
    expect(after.filter((s) => s.labels.event === 'no:such:event')).toEqual([]);
    expect(moved('connecto_socket_acks_total', { event: 'message:send', outcome: 'ok', status_code: 'none' })).toBe(2);
    expect(moved('connecto_socket_acks_total', { event: 'message:send', outcome: 'error', status_code: '429' })).toBe(1);
    expect(moved('connecto_socket_acks_total', { event: 'message:read', outcome: 'ok' })).toBe(2);
    expect(moved('connecto_socket_event_duration_seconds_count', { event: 'message:send', outcome: 'ok' })).toBe(2);
    expect(moved('connecto_socket_event_duration_seconds_count', { event: 'message:send', outcome: 'error' })).toBe(1);
    expect(moved('connecto_socket_event_duration_seconds_sum', { event: 'message:send', outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('times the broadcast emits of new messages and receipts', () => {
    expect(moved('connecto_socket_emit_duration_seconds_count', { event: 'message:new' })).toBe(2);
    expect(moved('connecto_socket_emit_duration_seconds_count', { event: 'receipt:updated' })).toBeGreaterThanOrEqual(1);
    expect(moved('connecto_socket_emit_duration_seconds_sum', { event: 'message:new' })).toBeGreaterThan(0);
  });

  it('counts rate-limit refusals by limit name', () => {
    expect(moved('connecto_rate_limit_refusals_total', { limit: 'send' })).toBe(1);
    expect(sum(after, 'connecto_rate_limit_refusals_total', { limit: 'search' })).toBe(0);
  });

  it('reports the pool at scrape time and times SQL statements by operation', () => {
    const inUse = sum(after, 'connecto_db_pool_connections', { state: 'in_use' });
    const idle = sum(after, 'connecto_db_pool_connections', { state: 'idle' });
    expect(inUse).toBeGreaterThanOrEqual(0);
    expect(inUse + idle).toBeGreaterThanOrEqual(1);
    expect(inUse + idle).toBeLessThanOrEqual(10);
    expect(sum(after, 'connecto_db_pool_max_connections')).toBe(10);
    expect(select(after, 'connecto_db_pool_waiting_requests')).toHaveLength(1);
    expect(moved('connecto_db_query_duration_seconds_count', { operation: 'select' })).toBeGreaterThanOrEqual(5);
    expect(moved('connecto_db_query_duration_seconds_count', { operation: 'insert' })).toBeGreaterThanOrEqual(3);
    expect(moved('connecto_db_query_duration_seconds_sum', { operation: 'select' })).toBeGreaterThan(0);
  });

  it('shows a saturated pool: every connection in use and queries waiting', async () => {
    const ds = t.app.get(DataSource);
    const sleeping = Array.from({ length: 13 }, () => ds.query('SELECT pg_sleep(0.5)'));
    await new Promise((r) => setTimeout(r, 150));
    const during = parsePrometheus(await scrape());
    await Promise.all(sleeping);
    expect(sum(during, 'connecto_db_pool_connections', { state: 'in_use' })).toBe(10);
    expect(sum(during, 'connecto_db_pool_connections', { state: 'idle' })).toBe(0);
    expect(sum(during, 'connecto_db_pool_waiting_requests')).toBeGreaterThanOrEqual(3);
    const calm = parsePrometheus(await scrape());
    expect(sum(calm, 'connecto_db_pool_waiting_requests')).toBe(0);
    expect(sum(calm, 'connecto_db_pool_connections', { state: 'in_use' })).toBeLessThan(10);
  });

  it('counts cache hits, misses and invalidations per namespace', () => {
    expect(moved('connecto_cache_misses_total', { namespace: POPULAR })).toBe(1);
    expect(moved('connecto_cache_hits_total', { namespace: POPULAR, tier: 'l1' })).toBe(1); // one node: its own L1 answers
    expect(moved('connecto_cache_invalidations_total', { namespace: POPULAR })).toBe(1);
  });

  it("exports prom-client's default Node metrics, event-loop lag included", () => {
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(select(after, name)).toHaveLength(1);
    }
    expect(moved('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('declares each family with its Prometheus type and conventional name', () => {
    const types = metricTypes(afterText);
    const ours = Object.entries(types).filter(([name]) => name.startsWith('connecto_'));
    expect(ours.length).toBeGreaterThanOrEqual(15);
    for (const [name, type] of ours) {
      expect(name).toMatch(/^connecto_[a-z0-9_]+$/);
      if (type === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      if (type === 'histogram') expect(name).toMatch(/_seconds$/);
    }
    expect(types.connecto_http_request_duration_seconds).toBe('histogram');
    expect(types.connecto_socket_connected).toBe('gauge');
  });

  it('keeps label values bounded: route templates only, no numeric ids, no raw paths', () => {
    const templates = new Set(registeredRoutes(t.app).map((r) => r.path));
    const routes = new Set(after.map((s) => s.labels.route).filter((r): r is string => r !== undefined));
    expect(routes.size).toBeGreaterThan(3);
    expect([...routes].filter((route) => route !== 'unmatched' && !templates.has(route))).toEqual([]);
    const offenders = after.flatMap((s) =>
      Object.entries(s.labels)
        .filter(([k]) => !['le', 'quantile', 'status_code', 'major', 'minor', 'patch'].includes(k))
        .filter(([, v]) => /^\d+$/.test(v) || /(^|\/)\d+(\/|$)/.test(v) || v.includes('?'))
        .map(([k, v]) => `${s.name}{${k}="${v}"}`),
    );
    expect(offenders).toEqual([]);
    expect(afterText).not.toContain(`/planets/${planetId}`);
    expect(afterText).not.toContain('987654');
    expect(afterText).not.toContain('nowhere');
  });
});

describe('GET /metrics on a separate METRICS_PORT', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ tag: 'metricsport', env: { METRICS_PORT: String(port) } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the text format there without a token, and refuses every scrape on the API port while METRICS_TOKEN is unset', async () => {
    await t.http.get('/api/v1/planets').expect(401);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheus(await res.text());
    expect(sum(samples, 'connecto_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '401' })).toBe(0);
    expect(
      sum(samples, 'connecto_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/planets', status_code: '401' }),
    ).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    for (const header of [undefined, 'Bearer anything-at-all-here']) {
      let req = t.http.get('/metrics');
      if (header) req = req.set('Authorization', header);
      expect((await req).status).toBe(401);
    }
  });
});

describe('METRICS_ENABLED=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ tag: 'metricsoff', env: { METRICS_ENABLED: 'false', METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404 to a scrape, even with the token', async () => {
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Metrics are not enabled on this instance' });
  });
});
