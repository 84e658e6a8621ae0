/*
 * A sample of what a mobile or web client does, written only against the generated types
 * (openapi/connecto-api.d.ts, from openapi-typescript 7) and openapi-fetch, as a client team would.
 * `npm run typecheck` compiles it, and test/e2e/api-client.e2e.spec.ts compiles it on its own and
 * runs it against the app: when the API description and the app disagree, one of them fails.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from '../../openapi/connecto-api';

export type Message = components['schemas']['MessageWithCountsDto'];

export interface SampleResult {
  userId: number;
  sent: components['schemas']['MessageResponseDto'];
  page: Message[];
  /** Read off typed fields: compiles only while the counts are required numbers. */
  counts: { readCount: number; unreadCount: number; replyCount: number };
  searchTotal: number;
  hitIds: string[];
  loginError: { status: number; body: components['schemas']['ErrorResponseDto'] | undefined };
}

export async function runSampleCalls(baseUrl: string, email: string): Promise<SampleResult> {
  const client = createClient<paths>({ baseUrl });

  const registered = await client.POST('/api/v1/auth/register', { body: { email, password: 'connecto123!', nickname: '민지' } });
  if (!registered.data) throw new Error(`register failed: ${registered.response.status}`);
  const { accessToken, user } = registered.data;
  const headers = { Authorization: `Bearer ${accessToken}` };

  const travel = await client.POST('/api/v1/travels', { headers, body: { title: '부산 2박 3일', visibility: 'PUBLIC' } });
  if (!travel.data) throw new Error(`create travel failed: ${travel.response.status}`);
  const planet = await client.POST('/api/v1/travels/{travelId}/planets', {
    headers,
    params: { path: { travelId: travel.data.id } },
    body: { name: '맛집' },
  });
  if (!planet.data) throw new Error(`create planet failed: ${planet.response.status}`);
  const planetId = planet.data.id;

  const sent = await client.POST('/api/v1/planets/{planetId}/messages', {
    headers,
    params: { path: { planetId } },
    body: { content: '부산역에서 만나요' },
  });
  if (!sent.data) throw new Error(`send failed: ${sent.response.status}`);

  const list = await client.GET('/api/v1/planets/{planetId}/messages', { headers, params: { path: { planetId }, query: { limit: 20 } } });
  if (!list.data) throw new Error(`list failed: ${list.response.status}`);
  const first = list.data.data[0];
  const counts = { readCount: first.readCount, unreadCount: first.unreadCount, replyCount: first.replyCount };

  const search = await client.GET('/api/v1/messages/search', { headers, params: { query: { query: '부산', planetId, sort: 'recent' } } });
  if (!search.data) throw new Error(`search failed: ${search.response.status}`);

  const badLogin = await client.POST('/api/v1/auth/login', { body: { email, password: 'wrong-password' } });

  return {
    userId: user.id,
    sent: sent.data,
    page: list.data.data,
    counts,
    searchTotal: search.data.total,
    hitIds: search.data.data.map((hit) => hit.id),
    loginError: { status: badLogin.response.status, body: badLogin.error },
  };
}
