import { Planet } from '../../src/modules/planet/planet.entity';

/**
 * Chat fixtures straight through SQL on the Active Record DataSource (the travel / planet
 * factories are written elsewhere): a travel, a planet in it, ACTIVE memberships.
 */
export async function createPlanet(ownerId: number, memberIds: number[] = [], opts: { adminIds?: number[]; name?: string } = {}): Promise<number> {
  const [travel] = await Planet.query(
    `INSERT INTO travel (title, visibility, participant_count, created_by_id) VALUES ('테스트 여행', 'PUBLIC', $1, $2) RETURNING id`,
    [1 + memberIds.length, ownerId],
  );
  const [planet] = await Planet.query('INSERT INTO planet (travel_id, name, created_by_id) VALUES ($1, $2, $3) RETURNING id', [
    travel.id,
    opts.name ?? '부산 방',
    ownerId,
  ]);
  const admins = new Set([ownerId, ...(opts.adminIds ?? [])]);
  for (const userId of [ownerId, ...memberIds.filter((id) => id !== ownerId)]) {
    await setMembership(planet.id, userId, 'ACTIVE', admins.has(userId) ? 'ADMIN' : 'MEMBER');
  }
  return planet.id as number;
}

export async function setMembership(planetId: number, userId: number, status: 'ACTIVE' | 'LEFT' | 'BANNED', role: 'ADMIN' | 'MEMBER' = 'MEMBER'): Promise<void> {
  await Planet.query(
    `INSERT INTO planet_user (planet_id, user_id, status, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (planet_id, user_id) DO UPDATE SET status = EXCLUDED.status, left_at = CASE WHEN EXCLUDED.status = 'ACTIVE' THEN NULL ELSE now() END`,
    [planetId, userId, status, role],
  );
}

export async function watermark(planetId: number, userId: number): Promise<string | null> {
  const [row] = await Planet.query('SELECT last_read_message_id FROM message_read_receipt WHERE planet_id = $1 AND user_id = $2', [planetId, userId]);
  return row ? String(row.last_read_message_id) : null;
}
