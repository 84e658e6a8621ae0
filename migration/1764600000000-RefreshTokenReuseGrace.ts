import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Two refreshes with one refresh token (two tabs, a retried request) must not log the user out:
 * a rotation records when it happened and the successor it issued, sealed with a key derived from
 * the presented token, so a repeat within REFRESH_REUSE_GRACE_SECONDS gets the same new pair.
 * Nullable columns without defaults: no table rewrite.
 */
export class RefreshTokenReuseGrace1764600000000 implements MigrationInterface {
  name = 'RefreshTokenReuseGrace1764600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "refresh_token" ADD "rotated_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "refresh_token" ADD "successor_id" uuid`);
    await q.query(`ALTER TABLE "refresh_token" ADD "successor_sealed" text`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "refresh_token" DROP COLUMN "successor_sealed"`);
    await q.query(`ALTER TABLE "refresh_token" DROP COLUMN "successor_id"`);
    await q.query(`ALTER TABLE "refresh_token" DROP COLUMN "rotated_at"`);
  }
}
