import { DistributedCacheService } from '../../src/infrastructure/cache/distributed-cache.service';
import { createUser, UserFixture } from '../factories/user.factory';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('GET /travels/popular is cached in Redis and invalidated by changes', () => {
  let t: TestApp;
  let host: UserFixture;
  let cache: DistributedCacheService;

  beforeAll(async () => {
    t = await startTestApp({ tag: 'popular' });
    host = await createUser(t.env);
    cache = t.app.get(DistributedCacheService);
  });
  afterAll(async () => {
    await t.close();
  });

  const popular = async () =>
    (await t.http.get('/api/v1/travels/popular').set(host.auth).expect(200)).body.data as { id: number; participantCount: number }[];
  const createPublic = async (title: string) =>
    (await t.http.post('/api/v1/travels').set(host.auth).send({ title, visibility: 'PUBLIC' }).expect(201)).body as { id: number };

  it('serves repeated reads from the cache', async () => {
    await createPublic('부산 바다 여행');
    await popular();
    const hitsBefore = cache.stats.hits;
    const missesBefore = cache.stats.misses;
    const again = await popular();
    const third = await popular();
    expect(third).toEqual(again);
    expect(cache.stats.hits - hitsBefore).toBe(2);
    expect(cache.stats.misses).toBe(missesBefore);
  });

  it('shows a new public travel and a join right away (the list is invalidated)', async () => {
    const travel = await createPublic('제주 한라산 등반');
    expect((await popular()).map((p) => p.id)).toContain(travel.id);

    const joiner = await createUser(t.env);
    await t.http.post(`/api/v1/travels/${travel.id}/join`).set(joiner.auth).expect(200);
    const entry = (await popular()).find((p) => p.id === travel.id);
    expect(entry?.participantCount).toBe(2);
  });

  it('drops a travel that becomes private or is deleted', async () => {
    const a = await createPublic('서울 야경 투어');
    const b = await createPublic('강릉 커피 여행');
    expect((await popular()).map((p) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    await t.http.patch(`/api/v1/travels/${a.id}`).set(host.auth).send({ visibility: 'PRIVATE' }).expect(200);
    await t.http.delete(`/api/v1/travels/${b.id}`).set(host.auth).expect(204);
    const ids = (await popular()).map((p) => p.id);
    expect(ids).not.toContain(a.id);
    expect(ids).not.toContain(b.id);
  });
});
