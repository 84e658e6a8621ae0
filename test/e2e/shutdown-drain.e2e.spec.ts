import { io, Socket } from 'socket.io-client';
import { LifecycleService } from '../../src/infrastructure/lifecycle/lifecycle.service';
import { createUser, UserFixture } from '../factories/user.factory';
import { startTestApp, TestApp } from '../helpers/test-app';

/** The drain itself, in process (the SIGTERM path around it is tested with real processes in graceful-shutdown.e2e). */
describe('LifecycleService.drain', () => {
  let t: TestApp;
  let user: UserFixture;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp({ tag: 'drain' });
    user = await createUser(t.env);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  const open = (transports: ('polling' | 'websocket')[]) =>
    new Promise<Socket>((resolve, reject) => {
      const s = io(t.url, { auth: { token: user.token }, transports, upgrade: false, reconnection: false, forceNew: true });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });

  it('does not wait for idle long-polling or WebSocket clients: notifies them, closes them, and refuses new connections', async () => {
    const polling = await open(['polling']);
    const ws = await open(['websocket']);
    const notices: unknown[] = [];
    const reasons: string[] = [];
    for (const s of [polling, ws]) {
      s.on('server:shutdown', (n: unknown) => notices.push(n));
      s.on('disconnect', (r: string) => reasons.push(r));
    }
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);

    const report = await t.app.get(LifecycleService).drain({ delayMs: 0, timeoutMs: 5000 });
    // socketsLeft: the idle long-polling client is closed at once too, not held for engine.io's 30 s
    // close timeout waiting for a poll that cannot reach a closed listener.
    expect(report).toMatchObject({ drained: true, httpLeft: 0, socketAcksLeft: 0, socketsLeft: 0 });
    expect(report.ms).toBeLessThan(2500);
    await new Promise((r) => setTimeout(r, 300));
    expect(notices).toEqual([expect.objectContaining({ reconnect: true }), expect.objectContaining({ reconnect: true })]);
    // WebSocket: "transport close"; long-polling: its next poll is refused ("transport error") unless
    // one was pending for the close packet. The default client reconnects after either.
    expect(reasons).toHaveLength(2);
    for (const r of reasons) expect(['transport close', 'transport error']).toContain(r);
    expect(polling.connected || ws.connected).toBe(false);
    const refused = await fetch(`${t.url}/health`).then(
      () => 'answered',
      (err: Error) => (err.cause as { code?: string })?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
  });
});
