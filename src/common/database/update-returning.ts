import type { EntityManager } from 'typeorm';

/** `UPDATE … RETURNING` through manager.query answers `[rows, count]` on PostgreSQL; this gives the rows. */
export async function updateReturning<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = await m.query<[T[], number]>(sql, params);
  return rows;
}
