import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Media processing (issue 9): a readable failure reason on media, and an index that finds the
 * messages carrying a media item (who may see it: members of the planets where it was posted).
 * The index is partial (only messages with attachments) and built CONCURRENTLY, so no transaction.
 */
export class MediaProcessing1764900000000 implements MigrationInterface {
  name = 'MediaProcessing1764900000000';
  transaction = false as const;

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "media" ADD COLUMN IF NOT EXISTS "failure_reason" character varying(500)`);
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_message_attachments_media" ON "message" USING gin ("attachments" jsonb_path_ops) WHERE "attachments" <> '[]'::jsonb`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // TypeORM reverts inside a transaction unless told `--transaction none`; CONCURRENTLY only outside one.
    await q.query(`DROP INDEX ${q.isTransactionActive ? '' : 'CONCURRENTLY '}IF EXISTS "IDX_message_attachments_media"`);
    await q.query(`ALTER TABLE "media" DROP COLUMN IF EXISTS "failure_reason"`);
  }
}
