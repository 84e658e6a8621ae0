/**
 * The baseline node for bench/realtime: plain Socket.IO 4.8 on PORT — no NestJS, no auth, no
 * database, no Redis (default in-memory adapter). A socket joins the room of the planet named in its
 * handshake (`auth.planetId`); on `message:send` the server does `io.to(room).emit('message:new',
 * payload)` and acks, which is the floor of what the app's gateway does (the app also authenticates,
 * validates, persists and publishes through Redis). Same listen backlog as the app (LISTEN_BACKLOG,
 * 4096; BENCH_BACKLOG overrides both) and the same IPC protocol as server.ts ('ready', 'stats',
 * 'stop'), so run.ts drives both with the same code. Binds 127.0.0.1 only.
 */
import { createServer } from 'node:http';
import { EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Server } from 'socket.io';

type Command = { type: 'stop' } | { type: 'stats' } | { type: string };

const PORT = Number(process.env.PORT);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 4096); // = LISTEN_BACKLOG in src/bootstrap.ts (not imported: it loads the whole app)
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const httpServer = createServer();
const io = new Server(httpServer);

io.on('connection', (socket) => {
  const room = `planet:${String((socket.handshake.auth as { planetId?: unknown }).planetId)}`;
  void socket.join(room);
  socket.on('message:send', (payload: unknown, ack?: (res: unknown) => void) => {
    io.to(room).emit('message:new', payload);
    if (typeof ack === 'function') ack({ ok: true, message: payload });
  });
});

httpServer.listen(PORT, '127.0.0.1', BACKLOG, () => {
  let elu: EventLoopUtilization = performance.eventLoopUtilization();
  process.send?.({ type: 'ready', pid: process.pid });
  process.on('message', (msg: Command) => {
    if (msg.type === 'stop') {
      void io.close().then(() => process.exit(0));
    } else if (msg.type === 'stats') {
      // Same shape as server.ts: no SQL and no pool here, so those are 0 / NaN.
      const loop = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      const utilization = performance.eventLoopUtilization(elu).utilization;
      process.send?.({
        type: 'stats',
        statements: 0,
        cpu: process.cpuUsage(),
        sqlMs: { p50: NaN, p95: NaN, p99: NaN },
        loopDelayMs: loop,
        utilization,
        poolWaiting: { max: 0, mean: 0 },
      });
      elu = performance.eventLoopUtilization();
      loopDelay.reset();
    }
  });
});
