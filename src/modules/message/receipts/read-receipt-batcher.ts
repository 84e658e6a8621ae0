import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EnvironmentVariables } from '../../../config/env';
import { MessageBroadcaster } from '../gateway/message-broadcaster';
import type { ReceiptUpdated } from '../gateway/socket-events';
import { MessageReadReceipt, ReadMark } from '../message-read-receipt.entity';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Read events ("I have read up to here") from REST and sockets, coalesced in memory — per
 * planet+user only the highest message id is kept — and written together in ONE statement per
 * flush, every READ_RECEIPT_FLUSH_MS or as soon as READ_RECEIPT_MAX_BATCH pairs are pending.
 *
 * Acknowledgement policy: `markRead()` resolves only after the flush that carries the event has
 * committed, so a 204 / `{ ok: true }` always means durable. Pending events are also flushed
 * before shutdown (beforeApplicationShutdown, while the database and sockets are still open).
 *
 * The statement (MessageReadReceipt.advance) only moves a watermark forward, only for ACTIVE members
 * of live planets, to a message of that planet; only the watermarks that moved are broadcast as
 * receipt:updated.
 */
@Injectable()
export class ReadReceiptBatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ReadReceipts');
  private pending = new Map<string, ReadMark>();
  private waiters: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight: Promise<void> = Promise.resolve();
  private closing = false;
  /** Statements run so far (tests read it). */
  flushCount = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broadcaster: MessageBroadcaster,
    private readonly env: EnvironmentVariables,
  ) {}

  /** Queues a read event; resolves once it is written (or found to move nothing). */
  markRead(planetId: number, userId: number, messageId: string): Promise<void> {
    const key = `${planetId}:${userId}`;
    const id = BigInt(messageId);
    const current = this.pending.get(key);
    if (!current || current.messageId < id) this.pending.set(key, { planetId, userId, messageId: id });
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.closing || this.pending.size >= this.env.READ_RECEIPT_MAX_BATCH) this.flushSoon(0);
    else this.flushSoon(this.env.READ_RECEIPT_FLUSH_MS);
    return done;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** Writes everything pending now (one statement), after any flush already running. */
  flush(): Promise<void> {
    this.inFlight = this.inFlight.then(() => this.writeBatch());
    return this.inFlight;
  }

  private async writeBatch(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    let moved: ReceiptUpdated[];
    try {
      moved = await this.write(batch);
    } catch (err) {
      this.logger.error(`writing ${batch.length} read receipts failed: ${(err as Error).message}`);
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
    for (const r of moved) this.broadcaster.receiptUpdated(r);
  }

  private async write(batch: ReadMark[]): Promise<ReceiptUpdated[]> {
    this.flushCount += 1;
    return MessageReadReceipt.advance(batch, this.dataSource.manager);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
  }
}
