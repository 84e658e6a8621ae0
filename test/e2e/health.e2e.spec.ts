import { startTestApp, TestApp } from '../helpers/test-app';

describe('health and cross-cutting HTTP behaviour', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ tag: 'health' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /health without a token', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports PostgreSQL and Redis up on /health/ready', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
  });

  it('serves the OpenAPI document at /docs', async () => {
    await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
    const spec = await t.http.get('/docs/json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
  });

  it('answers an unknown route with 404 in the one error shape', async () => {
    const res = await t.http.get('/api/v1/nope').expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });
});
