import { startTestApp, TestApp } from '../helpers/test-app';
import { RefreshToken } from '../../src/modules/auth/refresh-token.entity';
import { User } from '../../src/modules/user/user.entity';

describe('auth and users/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ tag: 'auth', env: { REFRESH_REUSE_GRACE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (email: string, password = 'connecto123!', nickname = '민지') =>
    t.http.post('/api/v1/auth/register').send({ email, password, nickname });

  it('registers a user and returns tokens and the user with profile', async () => {
    const res = await register('Minji@Example.com').expect(201);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: {
        id: expect.any(Number),
        email: 'minji@example.com',
        profile: { nickname: '민지', avatarUrl: null, bio: null, avatarMediaId: null, locale: 'ko' },
      },
    });
    const me = await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.email).toBe('minji@example.com');
    expect(me.body.profile.nickname).toBe('민지');
  });

  it('refuses a second account for the same email in another case with 409 naming email', async () => {
    await register('dup@example.com').expect(201);
    const res = await register('DUP@example.com').expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: [{ field: 'email' }] });
  });

  it('stores the password as a bcrypt hash, never in clear', async () => {
    await register('hash@example.com', 'connecto123!').expect(201);
    const user = await User.findByEmailWithSecret('hash@example.com');
    expect(user?.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(user?.passwordHash).not.toContain('connecto123!');
  });

  it('logs in with any case of the email', async () => {
    await register('login@example.com').expect(201);
    const res = await t.http.post('/api/v1/auth/login').send({ email: 'LOGIN@example.com', password: 'connecto123!' }).expect(200);
    expect(res.body.user.email).toBe('login@example.com');
    expect(typeof res.body.refreshToken).toBe('string');
  });

  it('answers an unknown email and a wrong password identically', async () => {
    await register('same@example.com').expect(201);
    const wrong = await t.http.post('/api/v1/auth/login').send({ email: 'same@example.com', password: 'wrong-password' }).expect(401);
    const unknown = await t.http.post('/api/v1/auth/login').send({ email: 'nobody@example.com', password: 'wrong-password' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });
  });

  it('rotates refresh tokens and refuses a used one, revoking its family', async () => {
    const first = (await register('rotate@example.com').expect(201)).body.refreshToken as string;
    const second = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(second.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(second.body.refreshToken).not.toBe(first);
    await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(200);

    // Replaying the spent token after the reuse grace (1 s here) is refused and kills the newer token of the same family too.
    await new Promise((r) => setTimeout(r, 1100));
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(401);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
  });

  it('gives concurrent refreshes with the same token (two tabs, a retry) the same new pair, which keeps working', async () => {
    const token = (await register('race@example.com').expect(201)).body.refreshToken as string;
    const results = await Promise.all([1, 2, 3].map(() => t.http.post('/api/v1/auth/refresh').send({ refreshToken: token })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((r) => r.body.refreshToken)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.accessToken)).size).toBe(1);
    expect(results[0].body.refreshToken).not.toBe(token);
    // The family is alive: the successor rotates normally.
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: results[0].body.refreshToken }).expect(200);
  });

  it('refuses a spent token inside the grace window once its successor was itself rotated or revoked', async () => {
    const first = (await register('grace-logout@example.com').expect(201)).body.refreshToken as string;
    const second = (await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(200)).body.refreshToken as string;
    await t.http.post('/api/v1/auth/logout').send({ refreshToken: second }).expect(204);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(401);
  });

  it('stores refresh tokens only as hashes', async () => {
    const token = (await register('stored@example.com').expect(201)).body.refreshToken as string;
    const [id, secret] = token.split('.');
    const row = await RefreshToken.findOneByOrFail({ id });
    expect(row.tokenHash).not.toContain(secret);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('revokes the refresh token on logout', async () => {
    const token = (await register('logout@example.com').expect(201)).body.refreshToken as string;
    await t.http.post('/api/v1/auth/logout').send({ refreshToken: token }).expect(204);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: token }).expect(401);
  });

  it('refuses garbage and expired-looking refresh tokens with 401', async () => {
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: 'not-a-token' }).expect(401);
    await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: `${'-'.repeat(36)}.${'A'.repeat(43)}` })
      .expect(401);
    await t.http
      .post('/api/v1/auth/logout')
      .send({ refreshToken: `${'-'.repeat(36)}.${'A'.repeat(43)}` })
      .expect(204);
    await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: '00000000-0000-0000-0000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      .expect(401);
  });

  it('updates the profile and validates it', async () => {
    const { accessToken } = (await register('profile@example.com').expect(201)).body;
    const auth = { Authorization: `Bearer ${accessToken}` };
    const res = await t.http.patch('/api/v1/users/me/profile').set(auth).send({ nickname: '  지훈 ', bio: '부산 사람' }).expect(200);
    expect(res.body).toMatchObject({ nickname: '지훈', bio: '부산 사람' });
    const bad = await t.http
      .patch('/api/v1/users/me/profile')
      .set(auth)
      .send({ nickname: 'x'.repeat(51) })
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'nickname', problem: expect.stringMatching(/50/) }]);
    const nullNick = await t.http.patch('/api/v1/users/me/profile').set(auth).send({ nickname: null }).expect(400);
    expect(nullNick.body.details.map((d: { field: string }) => d.field)).toContain('nickname');
    await t.http.patch('/api/v1/users/me/profile').set(auth).send({ bio: null }).expect(200);
    const notMine = await t.http.patch('/api/v1/users/me/profile').set(auth).send({ avatarMediaId: 123456 }).expect(400);
    expect(notMine.body.details).toEqual([{ field: 'avatarMediaId', problem: 'must be an image you uploaded' }]);
    const me = await t.http.get('/api/v1/users/me').set(auth).expect(200);
    expect(me.body.profile.nickname).toBe('지훈');
  });

  describe('bad input', () => {
    it.each([
      ['a missing field', { email: 'a@example.com', password: 'connecto123!' }, 'nickname'],
      ['a wrong type', { email: 'a@example.com', password: 12345678, nickname: 'x' }, 'password'],
      ['an invalid email', { email: 'not-an-email', password: 'connecto123!', nickname: 'x' }, 'email'],
      ['a short password', { email: 'a@example.com', password: 'short', nickname: 'x' }, 'password'],
      ['an over-long nickname', { email: 'a@example.com', password: 'connecto123!', nickname: '가'.repeat(51) }, 'nickname'],
      [
        'a password over 72 bytes (bcrypt would ignore the rest)',
        { email: 'a@example.com', password: '가'.repeat(25), nickname: 'x' },
        'password',
      ],
      ['a NUL character', { email: 'a@example.com', password: 'connecto123!', nickname: 'a\u0000b' }, 'nickname'],
      ['an unknown field', { email: 'a@example.com', password: 'connecto123!', nickname: 'x', isAdmin: true }, 'isAdmin'],
    ])('answers 400 naming the field for %s and creates nothing', async (_name, body, field) => {
      const res = await t.http.post('/api/v1/auth/register').send(body).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      await t.http.post('/api/v1/auth/login').send({ email: 'a@example.com', password: 'connecto123!' }).expect(401);
    });

    it('answers malformed JSON with 400 in the error shape', async () => {
      const res = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email": ').expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' });
    });

    it('answers an oversized body with 413', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'a@example.com', password: 'x'.repeat(300_000) })
        .expect(413);
      expect(res.body.statusCode).toBe(413);
    });
  });

  describe('access tokens', () => {
    it('refuses a missing, malformed or wrongly signed token with 401 and a reason', async () => {
      const none = await t.http.get('/api/v1/users/me').expect(401);
      expect(none.body.message).toMatch(/Bearer/);
      await t.http.get('/api/v1/users/me').set('Authorization', 'Bearer nonsense').expect(401);
      const forged =
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImVtYWlsIjoiYUBiLmMiLCJ0eXAiOiJhY2Nlc3MifQ.3kYz5v2H4d9mS3oYy1o0bM2WJ4sZm0kR2uZ9x5Jq7cE';
      await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${forged}`).expect(401);
    });

    it('refuses a refresh token used as an access token', async () => {
      const { refreshToken } = (await register('confuse@example.com').expect(201)).body;
      await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${refreshToken}`).expect(401);
    });
  });
});
