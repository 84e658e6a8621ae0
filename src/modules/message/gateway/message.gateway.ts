import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { AppException } from '../../../common/errors/app.exception';
import { toErrorBody } from '../../../common/filters/all-exceptions.filter';
import { planetRoom, userRoom } from '../../../infrastructure/socket/socket-rooms';
import { TokenService } from '../../auth/token.service';
import { PlanetUser } from '../../planet/planet-user.entity';
import type { MessageResponseDto } from '../dto/message-response.dto';
import { MessageService } from '../message.service';
import { MessageBroadcaster } from './message-broadcaster';
import type { Ack, ChatServer, ChatSocket } from './socket-events';
import { parsePayload, ReadSocketDto, SendSocketDto, TypingSocketDto } from './socket-payloads';

/** Typing relays allowed per socket per second; the rest of a flood is dropped silently. */
const TYPING_PER_SECOND = 5;

/**
 * The chat's Socket.IO side. The handshake middleware authenticates the access token and puts the
 * socket in its user room and the rooms of the user's ACTIVE planets before the connection is
 * accepted; MessageBroadcaster keeps those rooms in step on every node. Each event is one service
 * call; every failure becomes an error ack, never a thrown error.
 */
@WebSocketGateway()
export class MessageGateway implements OnGatewayInit<ChatServer> {
  private readonly logger = new Logger('MessageGateway');

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
  }

  private async authenticate(socket: ChatSocket): Promise<void> {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = typeof auth?.token === 'string' ? auth.token : TokenService.bearer(socket.handshake.headers.authorization);
    if (!token) throw AppException.unauthorized('Missing access token: connect with io(url, { auth: { token } })');
    const user = this.tokens.verifyAccess(token);
    const planetIds = await PlanetUser.activePlanetIds(user.id);
    socket.data.user = user;
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
      const { body, unexpected } = toErrorBody(err);
      if (unexpected) this.logger.error('socket event failed', (err as Error)?.stack);
      return { ok: false, error: { statusCode: body.statusCode, message: body.message, ...(body.details ? { details: body.details } : {}) } };
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
