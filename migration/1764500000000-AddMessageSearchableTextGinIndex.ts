import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Korean-correct message search (issue #4). Stock PostgreSQL has no `korean` text search
 * configuration, so the vector is built here, without a parser: CJK runs become bigrams, trigrams
 * and the run's last character (any substring can be looked up; 3+ character terms hit selective
 * trigram keys), Latin/digit runs whole words plus their 2..6-character prefixes (a short prefix
 * query is one exact lexeme, not a `:*` expansion). The character classes and lexemes mirror
 * src/modules/message/search/search-terms.ts (lexemesOf; the integration spec compares them).
 *
 * Live-table safe: the column is added without a default (no rewrite), a trigger keeps it current
 * for every insert and edit from then on, existing rows are backfilled in short batches, and the
 * index is built CONCURRENTLY — hence no transaction around this migration.
 */
const CJK = '\\u1100-\\u11ff\\u3040-\\u30ff\\u3130-\\u318f\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f\\uac00-\\ud7ff\\uf900-\\ufaff';
const WORD = '0-9A-Za-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff';
/** Latin words also store their prefixes of 2..PREFIX_MAX characters (search-terms.ts PREFIX_MAX). */
const PREFIX_MAX = 6;
const BATCH = 20000;

export class AddMessageSearchableTextGinIndex1764500000000 implements MigrationInterface {
  name = 'AddMessageSearchableTextGinIndex1764500000000';
  transaction = false as const;

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(`
      CREATE OR REPLACE FUNCTION message_search_vector(t text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT l.lex)), ''::tsvector)
        FROM regexp_matches(t, '[${CJK}]+|[${WORD}]+', 'g') AS m(a)
        CROSS JOIN LATERAL (
          SELECT left(m.a[1], 100) AS lex WHERE m.a[1] ~ '^[${WORD}]'
          UNION ALL
          SELECT left(m.a[1], k) FROM generate_series(2, least(length(m.a[1]) - 1, ${PREFIX_MAX})) AS k WHERE m.a[1] ~ '^[${WORD}]'
          UNION ALL
          SELECT substr(m.a[1], i, 2) FROM generate_series(1, length(m.a[1]) - 1) AS i WHERE m.a[1] !~ '^[${WORD}]'
          UNION ALL
          SELECT substr(m.a[1], i, 3) FROM generate_series(1, length(m.a[1]) - 2) AS i WHERE m.a[1] !~ '^[${WORD}]'
          UNION ALL
          SELECT right(m.a[1], 1) WHERE m.a[1] !~ '^[${WORD}]'
        ) AS l
      $fn$`);
    // Rows written before the app filled searchable_text: the SQL twin of generateSearchableText().
    await q.query(`
      CREATE OR REPLACE FUNCTION message_searchable_text(content text, attachments jsonb) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT btrim(regexp_replace(lower(normalize(concat_ws(' ', coalesce(content, ''),
          (SELECT string_agg(a->>'fileName', ' ') FROM jsonb_array_elements(attachments) AS a)), NFKC)), '\\s+', ' ', 'g'))
      $fn$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION message_search_vector_trigger() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        NEW.search_vector := message_search_vector(NEW.searchable_text);
        RETURN NEW;
      END
      $fn$`);
    await q.query(`ALTER TABLE "message" ADD COLUMN IF NOT EXISTS "search_vector" tsvector`);
    await q.query(`DROP TRIGGER IF EXISTS "TRG_message_search_vector" ON "message"`);
    await q.query(`
      CREATE TRIGGER "TRG_message_search_vector" BEFORE INSERT OR UPDATE OF "searchable_text" ON "message"
      FOR EACH ROW EXECUTE FUNCTION message_search_vector_trigger()`);

    // Backfill in short autocommitted batches by id range: no long lock, resumable.
    const [{ min, max }] = (await q.query(`SELECT min(id)::text AS min, max(id)::text AS max FROM "message"`)) as {
      min: string | null;
      max: string | null;
    }[];
    if (min !== null && max !== null) {
      for (let from = BigInt(min); from <= BigInt(max); from += BigInt(BATCH)) {
        await q.query(
          `UPDATE "message" SET "searchable_text" = CASE
             WHEN "searchable_text" = '' THEN message_searchable_text("content", "attachments") ELSE "searchable_text" END
           WHERE "id" >= $1 AND "id" < $2 AND "search_vector" IS NULL`,
          [from.toString(), (from + BigInt(BATCH)).toString()],
        );
      }
    }

    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_message_search"`); // an INVALID leftover of an interrupted run
    await q.query(`
      CREATE INDEX CONCURRENTLY "IDX_message_search" ON "message" USING gin ("planet_id", "search_vector")
      WHERE "deleted_at" IS NULL`);
    await q.query(`ANALYZE "message"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // TypeORM reverts inside a transaction unless told `--transaction none`; CONCURRENTLY only outside one.
    await q.query(`DROP INDEX ${q.isTransactionActive ? '' : 'CONCURRENTLY '}IF EXISTS "IDX_message_search"`);
    await q.query(`DROP TRIGGER IF EXISTS "TRG_message_search_vector" ON "message"`);
    await q.query(`ALTER TABLE "message" DROP COLUMN IF EXISTS "search_vector"`);
    await q.query(`DROP FUNCTION IF EXISTS message_search_vector_trigger()`);
    await q.query(`DROP FUNCTION IF EXISTS message_searchable_text(text, jsonb)`);
    await q.query(`DROP FUNCTION IF EXISTS message_search_vector(text)`);
    await q.query(`DROP EXTENSION IF EXISTS btree_gin`);
  }
}
