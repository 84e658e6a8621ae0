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
import { onAdapterResync } from '../../../infrastructure/socket/redis-io.adapter';
import { planetRoom, userRoom } from '../../../infrastructure/socket/socket-rooms';
import { TokenService } from '../../auth/token.service';
import { PlanetUser } from '../../planet/planet-user.entity';
import type { MessageResponseDto } from '../dto/message-response.dto';
import { MessageService } from '../message.service';
import { MessageBroadcaster } from './message-broadcaster';
import { PlanetRoomSync } from './planet-rooms';
import type { Ack, ChatServer, ChatSocket } from './socket-events';
import { parsePayload, ReadSocketDto, SendSocketDto, TypingSocketDto } from './socket-payloads';

/** Typing relays allowed per socket per second; the rest of a flood is dropped silently. */
const TYPING_PER_SECOND = 5;
/** setTimeout's ceiling (~24.8 days); a later expiry re-arms the timer when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The chat's Socket.IO side. The handshake middleware authenticates the access token and puts the
 * socket in its user room and the rooms of the user's ACTIVE planets before the connection is
 * accepted; MessageBroadcaster keeps those rooms in step on every node. Once connected (and again
 * after the Redis adapter was cut off) the rooms are reconciled with PostgreSQL, for the moves a
 * socket missed. A socket is disconnected, after an `auth:expired` event, when its access token
 * expires. Each event is one service call; every failure becomes an error ack, never a thrown error.
 */
@WebSocketGateway()
export class MessageGateway implements OnGatewayInit<ChatServer>, OnGatewayConnection<ChatSocket>, OnGatewayDisconnect<ChatSocket> {
  private readonly logger = new Logger('MessageGateway');
  private readonly rooms = new PlanetRoomSync();
  private readonly expiryTimers = new WeakMap<ChatSocket, NodeJS.Timeout>();

  constructor(
    private readonly tokens: TokenService,
    private readonly messages: MessageService,
    private readonly broadcaster: MessageBroadcaster,
  ) {}

  afterInit(server: ChatServer): void {
    this.broadcaster.attach(server);
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
      this.rooms.reconcile([...server.sockets.sockets.values()]).catch((err: unknown) => this.logger.error(`planet room resync failed: ${(err as Error).message}`));
    });
  }

  async handleConnection(socket: ChatSocket): Promise<void> {
    this.armExpiry(socket);
    // A membership move applied during the handshake (before the socket was in nsp.sockets) missed it.
    await this.rooms.reconcile([socket]).catch((err: unknown) => this.logger.error(`planet room reconcile failed: ${(err as Error).message}`));
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
    const planetIds = await PlanetUser.activePlanetIds(user.id);
    socket.data.user = user;
    socket.data.expiresAt = expiresAt?.getTime();
    await socket.join([userRoom(user.id), ...planetIds.map(planetRoom)]);
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack<{ message: MessageResponseDto }>> {
    return this.ack(async () => {
      const dto = await parsePayload(SendSocketDto, payload);
      const { planetId, ...body } = dto;
      return { message: await this.messages.send(socket.data.user, planetId, body) };
    });
  }

  @SubscribeMessage('message:read')
  async read(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.ack(async () => {
      const dto = await parsePayload(ReadSocketDto, payload);
      await this.messages.markRead(socket.data.user, dto.planetId, dto.messageId);
      return {};
    });
  }

  @SubscribeMessage('typing:start')
  async typingStart(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<void> {
    await this.relayTyping(socket, payload, true);
  }

  @SubscribeMessage('typing:stop')
  async typingStop(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<void> {
    await this.relayTyping(socket, payload, false);
  }

  /** Relayed to the planet's other sockets, never stored; only from a member, and rate limited. */
  private async relayTyping(socket: ChatSocket, payload: unknown, typing: boolean): Promise<void> {
    const dto = await parsePayload(TypingSocketDto, payload).catch(() => undefined);
    if (!dto || !socket.rooms.has(planetRoom(dto.planetId)) || !allowTyping(socket)) return;
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
        error: { statusCode: body.statusCode, message: body.message, ...(body.details ? { details: body.details } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) },
      };
    }
  }
}

const typingBudget = new WeakMap<ChatSocket, { windowStart: number; count: number }>();

function allowTyping(socket: ChatSocket): boolean {
  const now = Date.now();
  const budget = typingBudget.get(socket);
  if (!budget || now - budget.windowStart >= 1000) {
    typingBudget.set(socket, { windowStart: now, count: 1 });
    return true;
  }
  budget.count += 1;
  return budget.count <= TYPING_PER_SECOND;
}
