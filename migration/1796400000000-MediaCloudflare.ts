import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Cloudflare Images and Stream (issue 9): why a media item was processed locally instead of by
 * Cloudflare (the fallback is shown to clients), and an index to find a Stream video by its uid
 * when its webhook arrives. Built CONCURRENTLY, so no transaction.
 */
export class MediaCloudflare1796400000000 implements MigrationInterface {
  name = 'MediaCloudflare1796400000000';
  transaction = false as const;

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "media" ADD COLUMN IF NOT EXISTS "fallback_reason" character varying(500)`);
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_media_external_id" ON "media" ("external_id") WHERE "external_id" IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ${q.isTransactionActive ? '' : 'CONCURRENTLY '}IF EXISTS "IDX_media_external_id"`);
    await q.query(`ALTER TABLE "media" DROP COLUMN IF EXISTS "fallback_reason"`);
  }
}
