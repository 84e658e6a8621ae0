/**
 * A bench/realtime client process: opens its share of socket.io-client connections (websocket),
 * sends `message:send` at the rate it is told, and records send→receive latency of every
 * `message:new` it gets (clock: performance.timeOrigin + now, shared by processes on one machine).
 */
import { performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';

interface Client {
  userId: number;
  planetId: number;
  token: string;
  url: string;
}

type Command =
  | { type: 'connect'; clients: Client[]; perSecond: number; timeoutMs: number }
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

function onMessage(payload: { content?: string | null }): void {
  const content = payload?.content;
  if (!content || !content.startsWith('bench|')) return;
  const [, phase, sentAt] = content.split('|');
  if (phase !== currentPhase) return;
  received += 1;
  latencies.push(now() - Number(sentAt));
}

async function connectAll(clients: Client[], perSecond: number, timeoutMs: number): Promise<void> {
  const gap = 1000 / perSecond;
  let failed = 0;
  const started = now();
  const pending: Promise<void>[] = [];
  for (const client of clients) {
    const socket = io(client.url, { auth: { token: client.token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs });
    socket.on('message:new', onMessage);
    pending.push(
      new Promise<void>((resolve) => {
        socket.once('connect', () => {
          sockets.push({ socket, client });
          resolve();
        });
        socket.once('connect_error', (err) => {
          failed += 1;
          if (errorSamples.length < 5) errorSamples.push(`connect: ${err.message}`);
          socket.close();
          resolve();
        });
      }),
    );
    await new Promise((r) => setTimeout(r, gap));
  }
  await Promise.all(pending);
  const perPlanet: Record<number, number> = {};
  for (const { client } of sockets) perPlanet[client.planetId] = (perPlanet[client.planetId] ?? 0) + 1;
  process.send?.({ type: 'connected', connected: sockets.length, failed, perPlanet, ms: now() - started, errors: errorSamples });
}

async function sendAt(rate: number, seconds: number, phase: string): Promise<void> {
  currentPhase = phase;
  latencies = [];
  received = 0;
  sentPerPlanet.clear();
  ackErrors = 0;
  ackTimeouts = 0;
  ackLatencies.length = 0;
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
  if (cmd.type === 'connect') void connectAll(cmd.clients, cmd.perSecond, cmd.timeoutMs);
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
    });
  } else if (cmd.type === 'close') {
    for (const { socket } of sockets) socket.close();
    setTimeout(() => process.exit(0), 200);
  }
});
process.send?.({ type: 'ready' });
