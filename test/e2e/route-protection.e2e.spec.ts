import { startTestApp, TestApp } from '../helpers/test-app';
import { isPublicRoute, registeredRoutes } from '../helpers/routes';

describe('every route except auth, health and docs requires a valid token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ tag: 'routes' });
  });
  afterAll(async () => {
    await t.close();
  });

  const fill = (path: string) => path.replace(/:(\w+)/g, '1');

  it('finds the API routes (the walk is not vacuous)', () => {
    const routes = registeredRoutes(t.app).filter((r) => r.path.startsWith('/api/v1/'));
    expect(routes.length).toBeGreaterThan(5);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/api/v1/users/me' },
        { method: 'POST', path: '/api/v1/auth/login' },
      ]),
    );
  });

  it('answers 401 without a token and with a bad token on every protected route', async () => {
    const protectedRoutes = registeredRoutes(t.app).filter((r) => !isPublicRoute(r.path));
    expect(protectedRoutes.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const route of protectedRoutes) {
      for (const header of [undefined, 'Bearer not-a-jwt']) {
        let req = t.http[route.method.toLowerCase() as 'get'](fill(route.path));
        if (header) req = req.set('Authorization', header);
        const res = await req.send({});
        if (res.status !== 401 || res.body.statusCode !== 401)
          failures.push(`${route.method} ${route.path} (${header ?? 'no token'}) → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps the public routes reachable without a token', async () => {
    await t.http.get('/health').expect(200);
    const res = await t.http.post('/api/v1/auth/login').send({ email: 'nobody@example.com', password: 'whatever1' });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Invalid email or password');
  });
});
