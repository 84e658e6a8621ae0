import type { Socket } from 'socket.io';
import type { ClientToServerEvents } from '../../modules/message/gateway/socket-events';
import type { Series } from './series';

/** The `event` label values: the API's client events (a new event in ClientToServerEvents must be added here). */
const CLIENT_EVENTS = {
  'message:send': true,
  'message:read': true,
  'typing:start': true,
  'typing:stop': true,
} as const satisfies Record<keyof ClientToServerEvents, true>;

const UNKNOWN_EVENT = 'unknown';

function eventLabel(name: unknown): string {
  return typeof name === 'string' && Object.hasOwn(CLIENT_EVENTS, name) ? name : UNKNOWN_EVENT;
}

/**
 * Counts one connected socket (the gauge, until it disconnects), every event it sends, and every
 * acknowledgement it gets back (and how long after the packet), including the ones the rate limiter
 * answers before a handler runs.
 * A Socket.IO middleware per socket: it sees the packet before dispatch and wraps its ack callback.
 */
export function trackSocket(socket: Socket, series: Series): void {
  series.socketsConnected.inc();
  socket.once('disconnect', () => series.socketsConnected.dec());
  socket.use((packet, next) => {
    const event = eventLabel(packet[0]);
    series.socketEventsReceived.inc({ event });
    const last = packet.length - 1;
    const ack: unknown = packet[last];
    if (last > 0 && typeof ack === 'function') {
      const start = performance.now();
      packet[last] = (...args: unknown[]) => {
        const res = args[0] as { ok?: unknown; error?: { statusCode?: unknown } } | undefined;
        const ok = res?.ok === true;
        const status = ok ? 'none' : String(typeof res?.error?.statusCode === 'number' ? res.error.statusCode : 500);
        series.socketAcks.inc({ event, outcome: ok ? 'ok' : 'error', status_code: status });
        series.socketEventDuration.observe({ event, outcome: ok ? 'ok' : 'error' }, (performance.now() - start) / 1000);
        (ack as (...a: unknown[]) => void)(...args);
      };
    }
    next();
  });
}
