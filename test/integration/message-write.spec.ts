import { Message } from '../../src/modules/message/message.entity';
import { createMessage } from '../factories/message.factory';
import { createPlanet, joinPlanet } from '../factories/planet.factory';
import { addMember, createTravel } from '../factories/travel.factory';
import { createUser, UserFixture } from '../factories/user.factory';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

describe('message edits and deletes (real PostgreSQL)', () => {
  let db: SuiteDb;
  let alice: UserFixture;
  let bob: UserFixture;
  let planet: { id: number };

  beforeAll(async () => {
    db = await openSuiteDb('msgwrite');
    [alice, bob] = [await createUser(db.env), await createUser(db.env)];
    const travel = await createTravel(alice);
    await addMember(travel, bob);
    planet = await createPlanet(travel, alice);
    await joinPlanet(planet, bob);
  });
  afterAll(async () => {
    await db.close();
  });

  it('edits content, searchable text and editedAt in one statement', async () => {
    const m = await createMessage(planet, alice, '부산 가요');
    const edited = await Message.editContent(m, alice.user.id, 'KTX로 부산 가요');
    expect(edited?.message).toMatchObject({ id: m.id, content: 'KTX로 부산 가요', searchableText: 'ktx로 부산 가요' });
    expect(edited?.message.editedAt).toBeInstanceOf(Date);
    expect(edited?.sender).toEqual({ id: alice.user.id, nickname: alice.profile.nickname });
  });

  it('does not resurrect a message deleted between the read and the edit', async () => {
    const loaded = await createMessage(planet, alice, '곧 지울 메시지');
    expect(await Message.softDeleteById(loaded.id)).toBe(true);
    expect(await Message.editContent(loaded, alice.user.id, '되살리기')).toBeNull();
    const row = await Message.findOneOrFail({ where: { id: loaded.id }, withDeleted: true });
    expect(row.deletedAt).not.toBeNull();
    expect(row.content).toBe('곧 지울 메시지');
  });

  it("refuses to edit someone else's message", async () => {
    const m = await createMessage(planet, alice, '내 메시지');
    expect(await Message.editContent(m, bob.user.id, '남의 메시지')).toBeNull();
  });

  it('reports a delete only once, so it is broadcast only once', async () => {
    const m = await createMessage(planet, bob, '한 번만');
    expect(await Message.softDeleteById(m.id)).toBe(true);
    expect(await Message.softDeleteById(m.id)).toBe(false);
  });
});
