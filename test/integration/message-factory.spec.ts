import { createMessage, createMessages } from '../factories/message.factory';
import { createPlanet, joinPlanet } from '../factories/planet.factory';
import { addMember, createTravel } from '../factories/travel.factory';
import { createUser } from '../factories/user.factory';
import { openSuiteDb, SuiteDb } from '../helpers/test-db';

describe('message factory', () => {
  let db: SuiteDb;
  beforeAll(async () => {
    db = await openSuiteDb('msgfactory');
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates messages and replies the way the app does, with searchable text', async () => {
    const host = await createUser(db.env);
    const guest = await createUser(db.env);
    const travel = await createTravel(host);
    await addMember(travel, guest);
    const planet = await createPlanet(travel, host);
    await joinPlanet(planet, guest);
    const [first, second] = await createMessages(planet, host, 2, '부산에서 만나요');
    const reply = await createMessage(planet, guest, 'KTX 타고 갈게요', { replyTo: first });
    expect(BigInt(second.id)).toBeGreaterThan(BigInt(first.id));
    expect(reply).toMatchObject({
      planetId: planet.id,
      senderId: guest.user.id,
      replyToMessageId: first.id,
      searchableText: 'ktx 타고 갈게요',
    });
  });

  it('refuses what the app would refuse', async () => {
    const host = await createUser(db.env);
    const outsider = await createUser(db.env);
    const planet = await createPlanet(await createTravel(host), host);
    await expect(createMessage(planet, outsider, '몰래')).rejects.toThrow(/not-member/);
  });
});
