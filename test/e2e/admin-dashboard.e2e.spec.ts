import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium, Browser, Page } from 'playwright-core';
import { planetWith } from '../factories';
import { parsePrometheus, select } from '../helpers/prometheus';
import { createUser, UserFixture } from '../factories/user.factory';
import { ClientSocket, connectSocket, emitAck } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

const ADMIN_TOKEN = 'admin-token-for-the-dashboard-suite';
const METRICS_TOKEN = 'metrics-token-for-the-dashboard-suite';

/** Debian's chromium (never a browser download): `apt-get install -y chromium`; .ci/run installs it. */
function chromiumPath(): string | undefined {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const CHROMIUM = chromiumPath();
if (!CHROMIUM)
  console.warn("admin-dashboard.e2e: SKIPPED the browser tests: no `chromium` on PATH (install Debian's: apt-get install -y chromium)");
const withBrowser = CHROMIUM ? describe : describe.skip;

interface Ack {
  ok: boolean;
}

describe('/admin: the ops pages', () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let planetId: number;
  const sockets: ClientSocket[] = [];
  const bearer = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    t = await startTestApp({
      tag: 'dashboard',
      env: {
        ADMIN_TOKEN,
        METRICS_TOKEN,
        DASHBOARD_SAMPLE_SECONDS: '1',
        QUERY_PATTERN_SAMPLE_RATE: '1',
        RATE_LIMIT_SEND: '1000/60s',
        RATE_LIMIT_SOCKET_EVENTS: '1000/10s',
      },
    });
    [alice, bob] = await Promise.all([createUser(t.env), createUser(t.env)]);
    planetId = await planetWith(alice, [bob]);
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  it('refuses every page and the data without the admin token, and answers the sign-in form with a 401', async () => {
    const data = await t.http.get('/admin/dashboard/data');
    expect(data.status).toBe(401);
    expect(data.body).toMatchObject({ statusCode: 401, message: expect.stringContaining('ADMIN_TOKEN') });
    await t.http.get('/admin/dashboard/data').set('Authorization', 'Bearer not-the-admin-token-at-all').expect(401);
    await t.http.get('/admin/slow-queries').expect(401);
    await t.http.get('/admin/dashboard/app.js').expect(401);
    await t.http.get('/admin/dashboard/data').set('Cookie', 'connecto_admin=forged').expect(401);
    const page = await t.http.get('/admin/dashboard');
    expect(page.status).toBe(401);
    expect(page.text).toContain('<form method="post" action="/admin/session">');
    expect(page.text).not.toContain('app.js');
    const wrong = await t.http.post('/admin/session').type('form').send({ token: 'wrong-token-wrong-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('signs in with the token (an HttpOnly cookie, not the token) and then serves the page', async () => {
    const res = await t.http.post('/admin/session').type('form').send({ token: ADMIN_TOKEN }).expect(303);
    expect(res.headers.location).toBe('/admin/dashboard');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^connecto_admin=[0-9a-f]{64}; Path=\/admin; HttpOnly; SameSite=Strict/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    const page = await t.http.get('/admin/dashboard').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('/admin/dashboard/app.js');
  });

  it('says plainly that pg_stat_statements is missing on the shared server, without failing', async () => {
    const res = await t.http.get('/admin/slow-queries').set(bearer).expect(200);
    // The shared test server does not preload the library (checked by the suite below otherwise).
    expect(res.body).toMatchObject({
      available: false,
      reason: expect.stringContaining('shared_preload_libraries'),
      howToEnable: expect.any(Array),
    });
    await t.http.get('/admin/slow-queries?limit=0').set(bearer).expect(400);
  });

  it('does not count its own polling as API traffic', async () => {
    await t.http.get('/admin/dashboard/data').set(bearer).expect(200);
    const res = await t.http.get('/admin/dashboard/data').set(bearer).expect(200);
    expect(res.body.routes.filter((r: { route: string }) => r.route.startsWith('/admin'))).toEqual([]);
  });

  it("exports the media queue's depth by state (read at scrape time), which the dashboard charts", async () => {
    const res = await t.http
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    const samples = parsePrometheus(res.body as string);
    for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'failed'])
      expect(select(samples, 'connecto_jobs_queued', { queue: 'media', state })).toHaveLength(1);
    // Two samples (DASHBOARD_SAMPLE_SECONDS=1) make the first interval.
    let points: { queueDepth: number | null }[] = [];
    for (let i = 0; i < 50 && points.length === 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      points = (await t.http.get('/admin/dashboard/data').set(bearer).expect(200)).body.points;
    }
    expect(points.at(-1)?.queueDepth).toBe(0);
  });

  it('records the relations each route reads on a known request sequence (every request sampled)', async () => {
    await t.http.post('/admin/query-patterns/reset').set(bearer).expect(204);
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/users/me').set(alice.auth).expect(200);
    for (let i = 0; i < 2; i++) await t.http.get(`/api/v1/planets/${planetId}/messages`).set(alice.auth).expect(200);
    const r = (await t.http.get('/admin/query-patterns').set(bearer).expect(200)).body;
    expect(r.sampledRequests).toBe(5);
    const me = r.routes.find((x: { route: string }) => x.route === '/api/v1/users/me');
    expect(me.requests).toBe(3);
    // GET /users/me loads the user with its profile in one statement (User.findWithProfile).
    expect(me.pairs['User–Profile']).toEqual({ first: 3, second: 3, both: 3, joined: 3 });
    const page = r.routes.find((x: { route: string }) => x.route === '/api/v1/planets/:planetId/messages');
    expect(page.requests).toBe(2);
    expect(page.pairs['Message–ReadReceipt'].first).toBe(2);
    expect(r.pairs.map((p: { label: string }) => p.label)).toEqual(['User–Profile', 'Travel–Planet', 'Message–ReadReceipt']);
  });

  withBrowser('in Chromium (playwright-core)', () => {
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('signs in through the form and draws every chart with data after traffic, KPIs as thresholds', async () => {
      await page.goto(`${t.url}/admin/dashboard`);
      await page.fill('#token', ADMIN_TOKEN);
      await Promise.all([page.waitForURL(`${t.url}/admin/dashboard`), page.click('button[type=submit]')]);
      await page.waitForSelector('body[data-updates]');
      // The sign-in page itself is a 401 (the browser logs that): only what happens once signed in counts.
      problems.length = 0;

      // Traffic: REST reads, a cache miss then hits, two sockets and sends.
      for (let i = 0; i < 5; i++) await t.http.get('/api/v1/planets').set(alice.auth).expect(200);
      for (let i = 0; i < 3; i++) await t.http.get('/api/v1/travels/popular').set(alice.auth).expect(200);
      await t.http.get('/api/v1/travels/987654').set(alice.auth).expect(404);
      const a = await connectSocket(t.url, alice.token);
      const b = await connectSocket(t.url, bob.token);
      sockets.push(a, b);
      for (let i = 0; i < 3; i++) expect((await emitAck<Ack>(a, 'message:send', { planetId, content: `대시보드 ${i}` })).ok).toBe(true);

      // The page refreshes by itself (DASHBOARD_SAMPLE_SECONDS=1): wait until it shows the traffic.
      const updatesBefore = Number(await page.getAttribute('body', 'data-updates'));
      // (The test's TypeScript has no DOM types: the page's document is typed here as far as used. A
      // string predicate would need 'unsafe-eval', which the page's CSP rightly refuses.)
      await page.waitForFunction(
        () => {
          type Doc = { querySelector(sel: string): { getAttribute(name: string): string | null } | null };
          const doc = (globalThis as unknown as { document: Doc }).document;
          const n = (sel: string) => Number(doc.querySelector(sel)?.getAttribute('data-points') ?? 0);
          const last = (sel: string) => Number(doc.querySelector(sel)?.getAttribute('data-last') || 0);
          return (
            n('#chart-latency svg') > 0 &&
            last('#chart-sockets svg') === 2 &&
            n('#chart-cache svg') > 0 &&
            !!doc.querySelector('#routes tr[data-route="GET /api/v1/planets"]')
          );
        },
        undefined,
        { timeout: 20000 },
      );
      expect(Number(await page.getAttribute('body', 'data-updates'))).toBeGreaterThan(updatesBefore);

      const charts = await page.$$eval('.chart svg', (svgs) =>
        svgs.map((s) => ({
          id: s.parentElement?.id,
          points: Number(s.getAttribute('data-points')),
          last: s.getAttribute('data-last'),
          paths: s.querySelectorAll('path.line').length,
          thresholds: [...s.querySelectorAll('line.threshold')].map((l) => Number(l.getAttribute('data-threshold'))),
        })),
      );
      const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
      for (const id of [
        'chart-latency',
        'chart-errors',
        'chart-throughput',
        'chart-sockets',
        'chart-cache',
        'chart-pool',
        'chart-waiting',
        'chart-queue',
        'chart-lag',
      ]) {
        expect({ id, drawn: byId[id].points > 0 && byId[id].paths > 0 }).toEqual({ id, drawn: true });
      }
      expect(byId['chart-latency'].thresholds).toEqual([100, 50]);
      expect(byId['chart-errors'].thresholds).toEqual([0.1]);
      expect(byId['chart-cache'].thresholds).toEqual([70]);
      // 2 sockets against a 5,000 KPI: the threshold is named above the scale rather than flattening the line.
      expect(await page.textContent('#chart-sockets')).toContain('KPI > 5,000 users (above the scale)');
      expect(await page.textContent('#chart-queue')).toContain('jobs: 0');

      // Messages per second moved; the cache hit rate is a real percentage.
      const msgMax = await page.$eval('#chart-throughput path[data-series="messages/s"]', (p) => p.getAttribute('d')?.length ?? 0);
      expect(msgMax).toBeGreaterThan(0);
      const hitRate = Number(byId['chart-cache'].last);
      expect(hitRate).toBeGreaterThan(0);
      expect(hitRate).toBeLessThanOrEqual(100);

      // The route table: five GET /planets with their percentiles; the 404 is a 4xx, not a 5xx.
      const row = await page.$$eval('#routes tr[data-route="GET /api/v1/planets"] td', (tds) => tds.map((td) => td.textContent));
      expect(row.slice(0, 3)).toEqual(['GET', '/api/v1/planets', '5']);
      expect(Number(row[5])).toBeGreaterThan(0);
      const travel = await page.$$eval('#routes tr[data-route="GET /api/v1/travels/:id"] td', (tds) => tds.map((td) => td.textContent));
      expect(travel[7]).toBe('0');
      expect(travel[8]).toBe('1');

      // Choosing a route redraws the latency chart for it.
      await page.selectOption('#route', 'GET /api/v1/planets');
      expect(await page.textContent('#chart-latency h3')).toBe('Latency of GET /api/v1/planets (ms)');
      expect(Number(await page.getAttribute('#chart-latency svg', 'data-points'))).toBeGreaterThan(0);

      expect(await page.textContent('#slow-status')).toContain('Not available: pg_stat_statements is not in shared_preload_libraries');
      mkdirSync('reports', { recursive: true });
      await page.screenshot({ path: 'reports/dashboard.png', fullPage: true });
      expect(problems).toEqual([]);
    });
  });
});

describe('/admin sign-in attempts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ tag: 'dashsignin', env: { ADMIN_TOKEN, RATE_LIMIT_AUTH_IP: '3/60s' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('share the auth/* per-IP limit: guessing the token is refused with a 429 after the budget', async () => {
    for (let i = 0; i < 3; i++)
      await t.http
        .post('/admin/session')
        .type('form')
        .send({ token: `wrong-guess-number-${i}` })
        .expect(401);
    const refused = await t.http.post('/admin/session').type('form').send({ token: ADMIN_TOKEN });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    // Bearer requests are not sign-ins: not limited here.
    await t.http.get('/admin/slow-queries').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
  });
});
