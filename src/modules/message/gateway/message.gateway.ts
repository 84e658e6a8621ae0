import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { AppException } from '../../../common/errors/app.exception';
import { toErrorBody } from '../../../common/filters/all-exceptions.filter';
import type { JsonLimits } from '../../../common/validation/json-limits';
import { EnvironmentVariables } from '../../../config/env';
import { Metrics } from '../../../infrastructure/metrics/metrics.service';
import { RateLimit } from '../../../infrastructure/rate-limit/rate-limit.decorator';
import { onAdapterResync } from '../../../infrastructure/socket/redis-io.adapter';
import { planetRoom, userRoom } from '../../../infrastructure/socket/socket-rooms';
import { AccountStatusService } from '../../auth/account-status.service';
import { TokenService } from '../../auth/token.service';
import { PlanetUser } from '../../planet/planet-user.entity';
import type { MessageResponseDto } from '../dto/message-response.dto';
import { MessageService } from '../message.service';
import { MessageBroadcaster } from './message-broadcaster';
import { PlanetRoomSync } from './planet-rooms';
import type { Ack, ChatServer, ChatSocket } from './socket-events';
import { parsePayload, ReadSocketDto, SendSocketDto, TypingSocketDto } from './socket-payloads';

/** setTimeout's ceiling (~24.8 days); a later expiry re-arms the timer when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The chat's Socket.IO side. The handshake middleware authenticates the access token and puts the
 * socket in its user room and the rooms of the user's ACTIVE planets before the connection is
 * accepted; MessageBroadcaster keeps those rooms in step on every node. Once connected (and again
 * after the Redis adapter was cut off) the rooms are reconciled with PostgreSQL, for the moves a
 * socket missed. A socket is disconnected, after an `auth:expired` event, when its access token
 * expires. Each event is one service call; every failure becomes an error ack, never a thrown error.
 * Events are rate limited per socket (and sends and reads per user too) before any other work.
 */
@WebSocketGateway()
export class MessageGateway implements OnGatewayInit<ChatServer>, OnGatewayConnection<ChatSocket>, OnGatewayDisconnect<ChatSocket> {
  private readonly logger = new Logger('MessageGateway');
  private readonly rooms = new PlanetRoomSync();
  private readonly expiryTimers = new WeakMap<ChatSocket, NodeJS.Timeout>();
  private readonly payloadLimits: JsonLimits;

  constructor(
    env: EnvironmentVariables,
    private readonly tokens: TokenService,
    private readonly accounts: AccountStatusService,
    private readonly messages: MessageService,
    private readonly broadcaster: MessageBroadcaster,
    private readonly metrics: Metrics,
  ) {
    this.payloadLimits = { maxDepth: env.JSON_MAX_DEPTH, maxValues: env.JSON_MAX_VALUES };
  }

  afterInit(server: ChatServer): void {
    this.broadcaster.attach(server);
    // Every node hears of a deleted account (AccountStatusService) and closes its own sockets of it.
    this.accounts.onRevoked((userId) => {
      const local = server.local.in(userRoom(userId));
      local.emit('auth:revoked', { message: 'This account was deleted' });
      local.disconnectSockets(true);
    });
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (err: unknown) => {
          const { body } = toErrorBody(err);
          const error = new Error(body.message) as Error & { data?: unknown };
          error.data = { statusCode: body.statusCode };
          next(error);
        },
      );
    });
    // Moves broadcast while Redis was unreachable never arrived: bring every local socket in line.
    onAdapterResync(server, () => {
      this.rooms
        .reconcile([...server.sockets.sockets.values()])
        .catch((err: unknown) => this.logger.error(`planet room resync failed: ${(err as Error).message}`));
    });
  }

  async handleConnection(socket: ChatSocket): Promise<void> {
    this.metrics.trackSocket(socket);
    this.armExpiry(socket);
    // A membership move applied during the handshake (before the socket was in nsp.sockets) missed it.
    await this.rooms
      .reconcile([socket])
      .catch((err: unknown) => this.logger.error(`planet room reconcile failed: ${(err as Error).message}`));
  }

  handleDisconnect(socket: ChatSocket): void {
    clearTimeout(this.expiryTimers.get(socket));
    this.expiryTimers.delete(socket);
  }

  /** Disconnects the socket when its access token expires: the client must reconnect with a fresh token. */
  private armExpiry(socket: ChatSocket): void {
    const expiresAt = socket.data.expiresAt;
    if (expiresAt === undefined || !socket.connected) return;
    const delay = expiresAt - Date.now();
    if (delay > MAX_TIMER_MS) {
      this.expiryTimers.set(socket, setTimeout(() => this.armExpiry(socket), MAX_TIMER_MS).unref());
      return;
    }
    const expire = () => {
      this.expiryTimers.delete(socket);
      if (!socket.connected) return;
      socket.emit('auth:expired', { message: 'Access token expired: reconnect with a fresh token' });
      socket.disconnect(true);
    };
    if (delay <= 0) expire();
    else this.expiryTimers.set(socket, setTimeout(expire, delay).unref());
  }

  private async authenticate(socket: ChatSocket): Promise<void> {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = typeof auth?.token === 'string' ? auth.token : TokenService.bearer(socket.handshake.headers.authorization);
    if (!token) throw AppException.unauthorized('Missing access token: connect with io(url, { auth: { token } })');
    const { user, expiresAt } = this.tokens.verifyAccessSession(token);
    await this.accounts.assertLive(user.id);
    const planetIds = await PlanetUser.activePlanetIds(user.id);
    socket.data.user = user;
    socket.data.expiresAt = expiresAt?.getTime();
    await socket.join([userRoom(user.id), ...planetIds.map(planetRoom)]);
  }

  @SubscribeMessage('message:send')
  @RateLimit('socketEvents', 'send')
  async send(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack<{ message: MessageResponseDto }>> {
    return this.ack(async () => {
      const dto = await parsePayload(SendSocketDto, payload, this.payloadLimits);
      const { planetId, ...body } = dto;
      return { message: await this.messages.send(socket.data.user, planetId, body) };
    });
  }

  @SubscribeMessage('message:read')
  @RateLimit('socketEvents', 'read')
  async read(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.ack(async () => {
      const dto = await parsePayload(ReadSocketDto, payload, this.payloadLimits);
      await this.messages.markRead(socket.data.user, dto.planetId, dto.messageId);
      return {};
    });
  }

  @SubscribeMessage('typing:start')
  @RateLimit('typing')
  async typingStart(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<void> {
    await this.relayTyping(socket, payload, true);
  }

  @SubscribeMessage('typing:stop')
  @RateLimit('typing')
  async typingStop(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<void> {
    await this.relayTyping(socket, payload, false);
  }

  /** Relayed to the planet's other sockets, never stored; only from a member (rate limited by @RateLimit('typing')). */
  private async relayTyping(socket: ChatSocket, payload: unknown, typing: boolean): Promise<void> {
    const dto = await parsePayload(TypingSocketDto, payload, this.payloadLimits).catch(() => undefined);
    if (!dto || !socket.rooms.has(planetRoom(dto.planetId))) return;
    socket.to(planetRoom(dto.planetId)).emit('typing', { planetId: dto.planetId, userId: socket.data.user.id, typing });
  }

  private async ack<T extends object>(work: () => Promise<T>): Promise<Ack<T>> {
    try {
      return { ok: true, ...(await work()) };
    } catch (err) {
      const { body, unexpected, retryAfter } = toErrorBody(err);
      if (unexpected) this.logger.error('socket event failed', (err as Error)?.stack);
      return {
        ok: false,
        error: {
          statusCode: body.statusCode,
          message: body.message,
          ...(body.details ? { details: body.details } : {}),
          ...(retryAfter !== undefined ? { retryAfter } : {}),
        },
      };
    }
  }
}
