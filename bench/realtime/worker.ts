/**
 * A bench/realtime client process: opens its share of socket.io-client connections (websocket),
 * to the app (mode 'app': the JWT in the handshake) or to the plain Socket.IO baseline (mode
 * 'plain': the planet id in the handshake, see plain-server.ts) — everything else is the same code,
 * sends `message:send` at the rate it is told, and records send→receive latency of every
 * `message:new` it gets (clock: performance.timeOrigin + now, shared by processes on one machine).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';

interface Client {
  userId: number;
  planetId: number;
  token: string;
  url: string;
}

/** 'app': the real app authenticates the JWT; 'plain': the baseline server joins the planet named in the handshake. */
type Mode = 'app' | 'plain';

type Command =
  | { type: 'connect'; mode: Mode; clients: Client[]; perSecond: number; timeoutMs: number; retries: number }
  | { type: 'send'; rate: number; seconds: number; phase: string }
  | { type: 'collect'; phase: string }
  | { type: 'close' };

const now = (): number => performance.timeOrigin + performance.now();
const sockets: { socket: Socket; client: Client }[] = [];
let latencies: number[] = [];
let received = 0;
let currentPhase = '';
const sentPerPlanet = new Map<number, number>();
let ackErrors = 0;
let ackTimeouts = 0;
const ackLatencies: number[] = [];
const errorSamples: string[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let cpuAtPhase = process.cpuUsage();

function onMessage(payload: { content?: string | null }): void {
  const content = payload?.content;
  if (!content || !content.startsWith('bench|')) return;
  const [, phase, sentAt] = content.split('|');
  if (phase !== currentPhase) return;
  received += 1;
  latencies.push(now() - Number(sentAt));
}

/** The cause under socket.io-client's "websocket error": the ws error (ECONNRESET, Unexpected server response: 503…). */
function describe(err: Error & { description?: unknown; context?: unknown }): string {
  const d = err.description as { message?: string; error?: { code?: string; message?: string } } | undefined;
  const cause = d?.error?.code ?? d?.error?.message ?? d?.message ?? (typeof d === 'string' || typeof d === 'number' ? String(d) : '');
  return cause ? `${err.message} (${cause})` : err.message;
}

/**
 * Opens the sockets at `perSecond`. With `retries` > 0, socket.io-client's own reconnection retries a
 * failed handshake (1–2 s backoff, jittered) up to `retries` times, as a real client would; every
 * retry is counted and the first errors are kept as samples. A client is failed after its retries,
 * or when it is still not connected `timeoutMs` after its last attempt could have started.
 */
async function connectAll(mode: Mode, clients: Client[], perSecond: number, timeoutMs: number, retries: number): Promise<void> {
  const gap = 1000 / perSecond;
  let failed = 0;
  let retried = 0;
  let attemptsFailed = 0;
  const retriesHistogram: Record<number, number> = {};
  const started = now();
  const pending: Promise<void>[] = [];
  for (const client of clients) {
    const socket = io(client.url, {
      auth: mode === 'plain' ? { planetId: client.planetId } : { token: client.token },
      transports: ['websocket'],
      forceNew: true,
      timeout: timeoutMs,
      reconnection: retries > 0,
      reconnectionAttempts: retries,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.5,
    });
    socket.on('message:new', onMessage);
    pending.push(
      new Promise<void>((resolve) => {
        let attempts = 0;
        let settled = false;
        const give = setTimeout(() => done(false), timeoutMs + retries * (timeoutMs + 2000) + 1000);
        const done = (ok: boolean): void => {
          if (settled) return;
          settled = true;
          clearTimeout(give);
          socket.off('connect_error', onError);
          socket.io.off('reconnect_attempt', onRetry);
          socket.io.off('reconnect_failed', onFailed);
          retriesHistogram[attempts] = (retriesHistogram[attempts] ?? 0) + 1;
          if (ok) sockets.push({ socket, client });
          else {
            failed += 1;
            socket.close();
          }
          resolve();
        };
        const onError = (err: Error & { data?: unknown }): void => {
          attemptsFailed += 1;
          if (errorSamples.length < 5) errorSamples.push(`connect: ${describe(err)}`);
          // A refusal by the server's middleware (err.data set) is not retried by socket.io-client.
          if (retries === 0 || err.data !== undefined || !socket.io.reconnection()) done(false);
        };
        const onRetry = (): void => {
          attempts += 1;
          retried += 1;
        };
        const onFailed = (): void => done(false);
        socket.once('connect', () => done(true));
        socket.on('connect_error', onError);
        socket.io.on('reconnect_attempt', onRetry);
        socket.io.on('reconnect_failed', onFailed);
      }),
    );
    await new Promise((r) => setTimeout(r, gap));
  }
  await Promise.all(pending);
  // From here on a dropped socket is not silently reconnected mid-phase: it shows in stillConnected.
  for (const { socket } of sockets) socket.io.reconnection(false);
  const perPlanet: Record<number, number> = {};
  for (const { client } of sockets) perPlanet[client.planetId] = (perPlanet[client.planetId] ?? 0) + 1;
  process.send?.({
    type: 'connected',
    connected: sockets.length,
    failed,
    retried,
    attemptsFailed,
    retriesHistogram,
    perPlanet,
    ms: now() - started,
    errors: errorSamples,
  });
}

async function sendAt(rate: number, seconds: number, phase: string): Promise<void> {
  currentPhase = phase;
  latencies = [];
  received = 0;
  sentPerPlanet.clear();
  ackErrors = 0;
  ackTimeouts = 0;
  ackLatencies.length = 0;
  cpuAtPhase = process.cpuUsage();
  loopDelay.reset();
  const total = Math.floor(rate * seconds);
  const start = now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total && sockets.length > 0; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (now() - start > seconds * 1000 + 5000) break; // hard bound: never run past the phase by more than 5 s
    const { socket, client } = sockets[(i * 7919) % sockets.length];
    const sentAt = now();
    inflight.push(
      socket
        .timeout(10000)
        .emitWithAck('message:send', { planetId: client.planetId, content: `bench|${phase}|${sentAt}` })
        .then((ack: { ok: boolean; error?: { message: string } }) => {
          ackLatencies.push(now() - sentAt);
          if (ack?.ok) sentPerPlanet.set(client.planetId, (sentPerPlanet.get(client.planetId) ?? 0) + 1);
          else {
            ackErrors += 1;
            if (errorSamples.length < 10) errorSamples.push(`ack: ${ack?.error?.message}`);
          }
        })
        .catch(() => {
          ackTimeouts += 1;
        }),
    );
  }
  await Promise.all(inflight);
  process.send?.({ type: 'sent', phase });
}

process.on('message', (cmd: Command) => {
  if (cmd.type === 'connect') void connectAll(cmd.mode, cmd.clients, cmd.perSecond, cmd.timeoutMs, cmd.retries);
  else if (cmd.type === 'send') void sendAt(cmd.rate, cmd.seconds, cmd.phase);
  else if (cmd.type === 'collect') {
    process.send?.({
      type: 'collected',
      phase: cmd.phase,
      received,
      latencies,
      ackLatencies,
      sentPerPlanet: Object.fromEntries(sentPerPlanet),
      ackErrors,
      ackTimeouts,
      connected: sockets.filter((s) => s.socket.connected).length,
      errors: errorSamples.slice(0, 10),
      cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpuAtPhase)),
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    });
  } else if (cmd.type === 'close') {
    for (const { socket } of sockets) socket.close();
    setTimeout(() => process.exit(0), 200);
  }
});
process.send?.({ type: 'ready' });
