import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole base schema: users, profiles, travels, planets, memberships, messages, read receipts,
 * media and refresh tokens. Generated from the entities, then edited: one shared membership_status
 * type, and the expression / partial indexes TypeORM cannot describe (lower(email) uniqueness, the
 * popular-travels index, reply lookups, idempotent sends by clientId).
 */
export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "refresh_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" integer NOT NULL, "family_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_refresh_token_user" ON "refresh_token"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_refresh_token_family" ON "refresh_token"  ("family_id") `);
    await queryRunner.query(`CREATE TYPE "public"."media_kind" AS ENUM('image', 'video', 'file')`);
    await queryRunner.query(`CREATE TYPE "public"."media_provider" AS ENUM('local', 'r2', 'cloudflare_images', 'cloudflare_stream')`);
    await queryRunner.query(`CREATE TYPE "public"."media_status" AS ENUM('PENDING', 'UPLOADED', 'PROCESSING', 'READY', 'FAILED')`);
    await queryRunner.query(
      `CREATE TABLE "media" ("id" SERIAL NOT NULL, "owner_id" integer NOT NULL, "kind" "public"."media_kind" NOT NULL, "provider" "public"."media_provider" NOT NULL DEFAULT 'local', "storage_key" character varying(512) NOT NULL, "status" "public"."media_status" NOT NULL DEFAULT 'PENDING', "file_name" character varying(255) NOT NULL, "mime_type" character varying(127) NOT NULL, "size" bigint NOT NULL, "width" integer, "height" integer, "duration_seconds" double precision, "variants" jsonb NOT NULL DEFAULT '{}'::jsonb, "playback_url" character varying(1024), "thumbnail_url" character varying(1024), "external_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f4e0fcac36e050de337b670d8bd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_media_owner" ON "media"  ("owner_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "message_read_receipt" ("planet_id" integer NOT NULL, "user_id" integer NOT NULL, "last_read_message_id" bigint NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cf053f17f1f71a0a02b14157db3" PRIMARY KEY ("planet_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_read_receipt_planet_last_read" ON "message_read_receipt"  ("planet_id", "last_read_message_id") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."message_type" AS ENUM('TEXT', 'IMAGE', 'VIDEO', 'FILE', 'SYSTEM')`);
    await queryRunner.query(
      `CREATE TABLE "message" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "planet_id" integer NOT NULL, "sender_id" integer, "type" "public"."message_type" NOT NULL DEFAULT 'TEXT', "content" text, "searchable_text" text NOT NULL DEFAULT '', "reply_to_message_id" bigint, "attachments" jsonb NOT NULL DEFAULT '[]'::jsonb, "client_id" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ba01f0a3e0123651915008bc578" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_message_planet_id" ON "message"  ("planet_id", "id") `);
    await queryRunner.query(`CREATE TYPE "public"."planet_role" AS ENUM('ADMIN', 'MEMBER')`);
    await queryRunner.query(`CREATE TYPE "public"."membership_status" AS ENUM('ACTIVE', 'LEFT', 'BANNED')`);
    await queryRunner.query(
      `CREATE TABLE "planet_user" ("id" SERIAL NOT NULL, "planet_id" integer NOT NULL, "user_id" integer NOT NULL, "role" "public"."planet_role" NOT NULL DEFAULT 'MEMBER', "status" "public"."membership_status" NOT NULL DEFAULT 'ACTIVE', "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "left_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_planet_user_planet_user" UNIQUE ("planet_id", "user_id"), CONSTRAINT "PK_ae941bf5871aaf01afa4cb7bcff" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_planet_user_user_status" ON "planet_user"  ("user_id", "status") `);
    await queryRunner.query(
      `CREATE TABLE "planet" ("id" SERIAL NOT NULL, "travel_id" integer NOT NULL, "name" character varying(100) NOT NULL, "created_by_id" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_cb7506671ad0f19d6287ee4bfb7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_planet_travel" ON "planet"  ("travel_id") `);
    await queryRunner.query(`CREATE TYPE "public"."travel_role" AS ENUM('HOST', 'MEMBER')`);
    await queryRunner.query(
      `CREATE TABLE "travel_user" ("id" SERIAL NOT NULL, "travel_id" integer NOT NULL, "user_id" integer NOT NULL, "role" "public"."travel_role" NOT NULL DEFAULT 'MEMBER', "status" "public"."membership_status" NOT NULL DEFAULT 'ACTIVE', "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "left_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_travel_user_travel_user" UNIQUE ("travel_id", "user_id"), CONSTRAINT "PK_d5aaea5c92c7d04354bdf192efd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_travel_user_user_status" ON "travel_user"  ("user_id", "status") `);
    await queryRunner.query(`CREATE TYPE "public"."travel_visibility" AS ENUM('PUBLIC', 'PRIVATE')`);
    await queryRunner.query(
      `CREATE TABLE "travel" ("id" SERIAL NOT NULL, "title" character varying(100) NOT NULL, "description" character varying(2000), "visibility" "public"."travel_visibility" NOT NULL, "participant_count" integer NOT NULL DEFAULT '0', "start_date" date, "end_date" date, "created_by_id" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_travel_dates" CHECK ("start_date" IS NULL OR "end_date" IS NULL OR "start_date" <= "end_date"), CONSTRAINT "CHK_travel_participant_count" CHECK ("participant_count" >= 0), CONSTRAINT "PK_657b63ec7adcf2ecf757a490a67" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "profile" ("id" SERIAL NOT NULL, "user_id" integer NOT NULL, "nickname" character varying(50) NOT NULL, "bio" character varying(500), "locale" character varying(16) NOT NULL DEFAULT 'ko', "avatar_media_id" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "REL_d752442f45f258a8bdefeebb2f" UNIQUE ("user_id"), CONSTRAINT "PK_3dd8bfc97e4a77c70971591bdcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "user" ("id" SERIAL NOT NULL, "email" character varying(254) NOT NULL, "password_hash" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_cace4a159ff9f2512dd42373760" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_6bbe63d2fe75e7f0ba1710351d4" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "media" ADD CONSTRAINT "FK_c6889397830b5ed0f2a30362065" FOREIGN KEY ("owner_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_read_receipt" ADD CONSTRAINT "FK_5ca3b61ffe783aa595904ee9acf" FOREIGN KEY ("planet_id") REFERENCES "planet"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_read_receipt" ADD CONSTRAINT "FK_98adffd75b16a74d2fe0164e24e" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message" ADD CONSTRAINT "FK_4335a68e07deaf2acb36b270568" FOREIGN KEY ("planet_id") REFERENCES "planet"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message" ADD CONSTRAINT "FK_c0ab99d9dfc61172871277b52f6" FOREIGN KEY ("sender_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message" ADD CONSTRAINT "FK_3f4cd2a9e12f8ed5bc6977ca8a0" FOREIGN KEY ("reply_to_message_id") REFERENCES "message"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planet_user" ADD CONSTRAINT "FK_e2c63b5deebc0da3c79e3376edc" FOREIGN KEY ("planet_id") REFERENCES "planet"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planet_user" ADD CONSTRAINT "FK_45f335a6562a455f76e78ccbe2a" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planet" ADD CONSTRAINT "FK_0a131945edbe0c0f0a78891c221" FOREIGN KEY ("travel_id") REFERENCES "travel"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "travel_user" ADD CONSTRAINT "FK_1cc6b4accf9f1506a3900f58f66" FOREIGN KEY ("travel_id") REFERENCES "travel"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "travel_user" ADD CONSTRAINT "FK_108802f69762fd61e221c4072c5" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "profile" ADD CONSTRAINT "FK_d752442f45f258a8bdefeebb2f2" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "profile" ADD CONSTRAINT "FK_1b785d79c7b1e80bf1ecfabd647" FOREIGN KEY ("avatar_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_user_email_lower" ON "user" (lower("email"))`);
    await queryRunner.query(
      `CREATE INDEX "IDX_travel_popular" ON "travel" ("participant_count" DESC, "id") WHERE "visibility" = 'PUBLIC' AND "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_message_reply_to" ON "message" ("reply_to_message_id") WHERE "reply_to_message_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_message_sender_client_id" ON "message" ("sender_id", "client_id") WHERE "client_id" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "message_read_receipt"`);
    await queryRunner.query(`DROP TABLE "message"`);
    await queryRunner.query(`DROP TABLE "planet_user"`);
    await queryRunner.query(`DROP TABLE "planet"`);
    await queryRunner.query(`DROP TABLE "travel_user"`);
    await queryRunner.query(`DROP TABLE "travel"`);
    await queryRunner.query(`DROP TABLE "refresh_token"`);
    await queryRunner.query(`DROP TABLE "profile"`);
    await queryRunner.query(`DROP TABLE "media"`);
    await queryRunner.query(`DROP TABLE "user"`);
    await queryRunner.query(`DROP TYPE "public"."message_type"`);
    await queryRunner.query(`DROP TYPE "public"."membership_status"`);
    await queryRunner.query(`DROP TYPE "public"."planet_role"`);
    await queryRunner.query(`DROP TYPE "public"."travel_role"`);
    await queryRunner.query(`DROP TYPE "public"."travel_visibility"`);
    await queryRunner.query(`DROP TYPE "public"."media_status"`);
    await queryRunner.query(`DROP TYPE "public"."media_provider"`);
    await queryRunner.query(`DROP TYPE "public"."media_kind"`);
  }
}
