import { readFileSync } from 'node:fs';
import { EVENTS_FILE, generateAsyncApiText } from '../../scripts/asyncapi';
import { ASYNCAPI_FILE } from '../../src/common/openapi/asyncapi-route';
import { createUser } from '../factories/user.factory';
import { planetWith } from '../factories';
import { connectSocket, SocketRecorder } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
}
interface AsyncApi {
  asyncapi: string;
  channels: { socket: { messages: Record<string, { name: string; payload: Schema }> } };
  operations: Record<string, { action: string; messages: { $ref: string }[]; reply?: unknown }>;
  components: { schemas: Record<string, Schema> };
}

const committed = (): AsyncApi => JSON.parse(readFileSync(ASYNCAPI_FILE, 'utf8'));

describe('the AsyncAPI 3 document of the Socket.IO events', () => {
  it('is what the typed event map generates (run `npm run openapi:generate` after changing an event)', () => {
    expect(generateAsyncApiText()).toBe(readFileSync(ASYNCAPI_FILE, 'utf8'));
  });

  it('changes when an event payload changes, so a stale committed document fails the test above', () => {
    const source = readFileSync(EVENTS_FILE, 'utf8');
    const changed = source.replace('  lastReadMessageId: string;\n', '  lastReadMessageId: number;\n  readAt: string;\n');
    expect(changed).not.toBe(source);
    const doc = JSON.parse(generateAsyncApiText(changed)) as AsyncApi;
    expect(doc.components.schemas.ReceiptUpdated.properties?.lastReadMessageId).toEqual({ type: 'number' });
    expect(doc.components.schemas.ReceiptUpdated.required).toContain('readAt');
    expect(committed().components.schemas.ReceiptUpdated.properties?.lastReadMessageId).toEqual({ type: 'string' });
  });

  it('lists every event of the map with its direction, and acks as replies', () => {
    const doc = committed();
    expect(doc.asyncapi).toBe('3.0.0');
    const byEvent = Object.fromEntries(
      Object.values(doc.operations).map((op) => [
        doc.channels.socket.messages[op.messages[0].$ref.split('/').pop() as string].name,
        { action: op.action, ack: !!op.reply },
      ]),
    );
    expect(byEvent).toEqual({
      'message:send': { action: 'receive', ack: true },
      'message:read': { action: 'receive', ack: true },
      'typing:start': { action: 'receive', ack: false },
      'typing:stop': { action: 'receive', ack: false },
      'message:new': { action: 'send', ack: false },
      'message:updated': { action: 'send', ack: false },
      'message:deleted': { action: 'send', ack: false },
      'receipt:updated': { action: 'send', ack: false },
      typing: { action: 'send', ack: false },
      'media:ready': { action: 'send', ack: false },
      'auth:expired': { action: 'send', ack: false },
      'auth:revoked': { action: 'send', ack: false },
      'server:shutdown': { action: 'send', ack: false },
    });
  });

  describe('against the running app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ tag: 'asyncapi' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('is served at /docs/asyncapi.json', async () => {
      const res = await t.http.get('/docs/asyncapi.json').expect(200).expect('Content-Type', /json/);
      expect(res.body).toEqual(committed());
    });

    it('describes the payloads the server really sends (message:send ack, message:new, receipt:updated)', async () => {
      const doc = committed();
      const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop() as string] : s);
      /** The keys a value has must be exactly the schema's: all required ones, nothing undeclared. */
      const keysMatch = (schema: Schema, value: Record<string, unknown>) => {
        const s = resolve(schema);
        const keys = Object.keys(value);
        return (s.required ?? []).every((k) => keys.includes(k)) && keys.every((k) => k in (s.properties ?? {}));
      };
      const sender = await createUser(t.env);
      const reader = await createUser(t.env);
      const planetId = await planetWith(sender, [reader]);
      const a = await connectSocket(t.url, sender.token);
      const b = await connectSocket(t.url, reader.token);
      const bEvents = new SocketRecorder(b);
      const aEvents = new SocketRecorder(a);
      try {
        const ack = (await a.timeout(5000).emitWithAck('message:send', { planetId, content: '부산 가자' })) as {
          ok: boolean;
          message: Record<string, unknown>;
        };
        expect(ack.ok).toBe(true);
        const ackSchema = resolve(doc.channels.socket.messages.message_send_ack.payload).anyOf?.find(
          (s) => s.properties?.ok && JSON.stringify(s.properties.ok).includes('true'),
        );
        expect(ackSchema && keysMatch(ackSchema, ack)).toBe(true);
        expect(
          keysMatch(doc.channels.socket.messages.message_new.payload, await bEvents.next<Record<string, unknown>>('message:new')),
        ).toBe(true);

        await b.timeout(5000).emitWithAck('message:read', { planetId, messageId: ack.message.id });
        const receipt = await aEvents.next<Record<string, unknown>>('receipt:updated');
        expect(keysMatch(doc.channels.socket.messages.receipt_updated.payload, receipt)).toBe(true);
        expect(typeof receipt.lastReadMessageId).toBe('string');
      } finally {
        a.close();
        b.close();
      }
    });
  });
});
