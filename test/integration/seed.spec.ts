import bcrypt from 'bcryptjs';
import { countDemoRows, DEMO_PASSWORD, DEMO_USERS, seedDemoData } from '../../scripts/seed';
import { User } from '../../src/modules/user/user.entity';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

describe('demo seed (scripts/seed.ts)', () => {
  let db: SuiteDb;
  beforeAll(async () => {
    db = await openSuiteDb('seed');
  });
  afterAll(async () => {
    await db.close();
  });

  it('seeds once, and a second run changes nothing', async () => {
    const first = await seedDemoData(db.dataSource, { bcryptRounds: 4 });
    expect(first.created).toBe(true);
    expect(first.counts).toMatchObject({ users: DEMO_USERS.length, travels: 3, planets: 6 });
    expect(first.counts.messages).toBeGreaterThanOrEqual(200);
    expect(first.counts.replies).toBeGreaterThan(20);

    const tables = ['user', 'profile', 'travel', 'travel_user', 'planet', 'planet_user', 'message', 'message_read_receipt'];
    const snapshot = async () =>
      Object.fromEntries(
        await Promise.all(
          tables.map(async (t) => [t, Number((await db.dataSource.query(`SELECT count(*) AS n FROM "${t}"`))[0].n)] as const),
        ),
      );
    const before = await snapshot();

    const second = await seedDemoData(db.dataSource, { bcryptRounds: 4 });
    expect(second.created).toBe(false);
    expect(second.counts).toEqual(first.counts);
    expect(await snapshot()).toEqual(before);
  });

  it('keeps participantCount equal to the ACTIVE member count, with a LEFT member and a PRIVATE travel', async () => {
    const rows = await db.dataSource.query(
      `SELECT t.id, t.visibility, t.participant_count AS "participantCount",
              count(tu.id) FILTER (WHERE tu.status = 'ACTIVE')::int AS active,
              count(tu.id) FILTER (WHERE tu.status = 'LEFT')::int AS "left"
         FROM travel t LEFT JOIN travel_user tu ON tu.travel_id = t.id GROUP BY t.id`,
    );
    expect(rows.length).toBe(3);
    for (const r of rows) expect(r.participantCount).toBe(r.active);
    expect(rows.map((r: { visibility: string }) => r.visibility).sort()).toEqual(['PRIVATE', 'PUBLIC', 'PUBLIC']);
    expect(rows.some((r: { left: number }) => r.left > 0)).toBe(true);
  });

  it('writes realistic, consistent chat: Korean and English, replies within the planet, searchable text set', async () => {
    const [stats] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE content ~ '[가-힣]')::int AS korean,
              count(*) FILTER (WHERE content !~ '[가-힣]' AND content ~ '[A-Za-z]')::int AS english,
              count(*) FILTER (WHERE content LIKE '%부산%')::int AS busan,
              count(*) FILTER (WHERE searchable_text = '' AND content <> '')::int AS "missingSearchable"
         FROM message`,
    );
    expect(stats.korean).toBeGreaterThan(100);
    expect(stats.english).toBeGreaterThan(30);
    expect(stats.busan).toBeGreaterThan(3);
    expect(stats.missingSearchable).toBe(0);

    const [bad] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM message m JOIN message r ON r.id = m.reply_to_message_id
        WHERE r.planet_id <> m.planet_id OR r.id >= m.id`,
    );
    expect(bad.n).toBe(0);
    // Senders are ACTIVE or former members of the planet (SYSTEM messages have none).
    const [outsiders] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM message m
        WHERE m.sender_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM planet_user pu WHERE pu.planet_id = m.planet_id AND pu.user_id = m.sender_id)`,
    );
    expect(outsiders.n).toBe(0);
    // Read receipts: one watermark per member per planet, pointing at a message of that planet.
    const [receipts] = await db.dataSource.query(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.id = rr.last_read_message_id AND m.planet_id = rr.planet_id))::int AS wrong,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM planet_user pu WHERE pu.planet_id = rr.planet_id AND pu.user_id = rr.user_id AND pu.status = 'ACTIVE'))::int AS strangers
         FROM message_read_receipt rr`,
    );
    expect(receipts.n).toBeGreaterThan(10);
    expect(receipts.wrong).toBe(0);
    expect(receipts.strangers).toBe(0);
  });

  it('gives every demo user the documented password', async () => {
    const minji = await User.findByEmailWithSecret('MINJI@connecto.dev');
    expect(minji).not.toBeNull();
    expect(await bcrypt.compare(DEMO_PASSWORD, minji!.passwordHash)).toBe(true);
    expect((await countDemoRows(db.dataSource.manager)).users).toBe(DEMO_USERS.length);
  });
});
