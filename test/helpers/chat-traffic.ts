import { randomBytes } from 'node:crypto';
import { ClientSocket } from './socket';

/** One try of one send: what the client saw. `status` 0: no answer (a hang, a reset or no ack). */
export interface Attempt {
  channel: 'rest' | 'socket';
  clientId: string;
  startedAt: number;
  ms: number;
  status: number;
  /** Retry-After header (REST) or ack error retryAfter (sockets), in seconds. */
  retryAfter?: number;
  /** Why status is 0. */
  failure?: string;
}

export interface Acked {
  channel: 'rest' | 'socket';
  clientId: string;
  id: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Steady sends from a REST client and a socket client, as the mobile and web apps send: each
 * message has a clientId and is retried (same clientId) until it is acknowledged, after the
 * server's Retry-After, capped so a test stays short. Records every attempt and every ack.
 */
export class ChatTraffic {
  readonly attempts: Attempt[] = [];
  readonly acked: Acked[] = [];
  private running = false;
  private aborted = false;
  private loops: Promise<void>[] = [];
  private seq = 0;
  private readonly tag = randomBytes(3).toString('hex');

  constructor(
    private readonly opts: {
      url: () => string;
      planetId: number;
      restAuth: { Authorization: string };
      socket: () => ClientSocket | undefined;
      /** Pause between two sends of one loop. */
      intervalMs?: number;
      /** Longest wait before a retry, whatever Retry-After says. */
      maxRetryDelayMs?: number;
      /** An answer slower than this counts as a hang. */
      answerTimeoutMs?: number;
      /** Concurrent loops per channel. */
      perChannel?: number;
    },
  ) {}

  start(): void {
    this.running = true;
    const n = this.opts.perChannel ?? 2;
    for (let i = 0; i < n; i++) this.loops.push(this.loop('rest'), this.loop('socket'));
  }

  /** Stops starting new messages; resolves once every message begun has been acknowledged. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Stops at once, abandoning messages not yet acknowledged (afterAll, after a failure). */
  abort(): void {
    this.running = false;
    this.aborted = true;
  }

  since(t: number, until = Infinity): Attempt[] {
    return this.attempts.filter((a) => a.startedAt >= t && a.startedAt < until);
  }

  private async loop(channel: 'rest' | 'socket'): Promise<void> {
    while (this.running) {
      const clientId = `t-${this.tag}-${channel}-${++this.seq}`;
      const content = `${channel} message ${this.seq}`;
      while (!this.aborted) {
        const attempt = channel === 'rest' ? await this.viaRest(clientId, content) : await this.viaSocket(clientId, content);
        this.attempts.push(attempt.attempt);
        if (attempt.id) {
          this.acked.push({ channel, clientId, id: attempt.id });
          break;
        }
        const wait = Math.min((attempt.attempt.retryAfter ?? 0.2) * 1000, this.opts.maxRetryDelayMs ?? 300);
        await sleep(wait);
      }
      await sleep(this.opts.intervalMs ?? 50);
    }
  }

  private async viaRest(clientId: string, content: string): Promise<{ attempt: Attempt; id?: string }> {
    const startedAt = Date.now();
    try {
      const res = await fetch(`${this.opts.url()}/api/v1/planets/${this.opts.planetId}/messages`, {
        method: 'POST',
        headers: { ...this.opts.restAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ content, clientId }),
        signal: AbortSignal.timeout(this.opts.answerTimeoutMs ?? 15_000),
      });
      const body = (await res.json()) as { id?: string };
      const ra = res.headers.get('retry-after');
      const attempt: Attempt = {
        channel: 'rest',
        clientId,
        startedAt,
        ms: Date.now() - startedAt,
        status: res.status,
        ...(ra !== null ? { retryAfter: Number(ra) } : {}),
      };
      return { attempt, id: res.status === 201 ? body.id : undefined };
    } catch (err) {
      return { attempt: { channel: 'rest', clientId, startedAt, ms: Date.now() - startedAt, status: 0, failure: failureOf(err) } };
    }
  }

  private async viaSocket(clientId: string, content: string): Promise<{ attempt: Attempt; id?: string }> {
    const startedAt = Date.now();
    const socket = this.opts.socket();
    if (!socket?.connected) {
      await sleep(50);
      return { attempt: { channel: 'socket', clientId, startedAt, ms: Date.now() - startedAt, status: 0, failure: 'not connected' } };
    }
    try {
      const ack = (await socket
        .timeout(this.opts.answerTimeoutMs ?? 15_000)
        .emitWithAck('message:send', { planetId: this.opts.planetId, content, clientId })) as {
        ok: boolean;
        message?: { id: string };
        error?: { statusCode: number; retryAfter?: number };
      };
      const ms = Date.now() - startedAt;
      if (ack.ok && ack.message) return { attempt: { channel: 'socket', clientId, startedAt, ms, status: 200 }, id: ack.message.id };
      return {
        attempt: { channel: 'socket', clientId, startedAt, ms, status: ack.error?.statusCode ?? -1, retryAfter: ack.error?.retryAfter },
      };
    } catch (err) {
      return { attempt: { channel: 'socket', clientId, startedAt, ms: Date.now() - startedAt, status: 0, failure: failureOf(err) } };
    }
  }
}

export function failureOf(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return [e?.message, e?.cause?.code ?? e?.cause?.message].filter(Boolean).join(': ');
}

/** Polls GET /health/ready and keeps every answer (status 0: no connection). */
export class ReadinessProbe {
  readonly samples: { at: number; status: number }[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly url: () => string,
    private readonly everyMs = 200,
  ) {}

  start(): void {
    const tick = async () => {
      const at = Date.now();
      const status = await fetch(`${this.url()}/health/ready`, { signal: AbortSignal.timeout(3000) })
        .then((r) => r.status)
        .catch(() => 0);
      this.samples.push({ at, status });
      if (this.timer) this.timer = setTimeout(() => void tick(), this.everyMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  between(from: number, to = Infinity): number[] {
    return this.samples.filter((s) => s.at >= from && s.at < to).map((s) => s.status);
  }

  /** Waits until a sample taken after `from` has `status`; resolves with its time. */
  async until(status: number, from: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.samples.find((s) => s.at >= from && s.status === status);
      if (hit) return hit.at;
      if (Date.now() > deadline)
        throw new Error(`readiness never answered ${status} within ${timeoutMs} ms (saw ${this.between(from).join(',')})`);
      await sleep(50);
    }
  }
}
