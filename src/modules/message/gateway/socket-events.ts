import type { Server, Socket } from 'socket.io';
import type { ErrorBody } from '../../../common/filters/all-exceptions.filter';
import type { CurrentUserData } from '../../../common/decorators/current-user.decorator';
import type { ServerShutdownNotice } from '../../../infrastructure/lifecycle/socket-drain';
import type { MessageResponseDto } from '../dto/message-response.dto';

/**
 * What an acknowledgement carries: success with a payload, or API.md's error (status and reason).
 * `retryAfter` (seconds) comes with 503 (and 429): the REST Retry-After header, for sockets.
 */
export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: Pick<ErrorBody, 'statusCode' | 'message'> & Partial<ErrorBody> & { retryAfter?: number } };

export interface SendPayload {
  planetId: number;
  content?: string;
  replyToMessageId?: string;
  mediaIds?: number[];
  clientId?: string;
}

export interface ReadPayload {
  planetId: number;
  messageId: string;
}

export interface TypingPayload {
  planetId: number;
}

/** Every event a client may send, with its payload and ack (API.md, Socket.IO). */
export interface ClientToServerEvents {
  'message:send': (payload: SendPayload, ack?: (res: Ack<{ message: MessageResponseDto }>) => void) => void;
  'message:read': (payload: ReadPayload, ack?: (res: Ack) => void) => void;
  'typing:start': (payload: TypingPayload) => void;
  'typing:stop': (payload: TypingPayload) => void;
}

export interface ReceiptUpdated {
  planetId: number;
  userId: number;
  lastReadMessageId: string;
}

export interface MediaReady {
  mediaId: number;
  status: string;
  urls: Record<string, string | undefined>;
}

/** Every event the server sends, declared once: a wrong payload does not compile. */
export interface ServerToClientEvents {
  'message:new': (message: MessageResponseDto) => void;
  'message:updated': (message: MessageResponseDto) => void;
  /** `changeSeq`: the tombstone's place in GET /planets/:planetId/changes (as on message:new / message:updated messages). */
  'message:deleted': (payload: { id: string; planetId: number; changeSeq: string }) => void;
  'receipt:updated': (payload: ReceiptUpdated) => void;
  typing: (payload: { planetId: number; userId: number; typing: boolean }) => void;
  'media:ready': (payload: MediaReady) => void;
  /** The access token of the connection expired: the server disconnects right after; reconnect with a fresh token. */
  'auth:expired': (payload: { message: string }) => void;
  /** The account was deleted: the server disconnects right after; its tokens no longer work. */
  'auth:revoked': (payload: { message: string }) => void;
  /**
   * This node is shutting down: events sent from now on get a 503 error ack; the connection closes
   * (reason "transport close") once the events in flight are acked. Reconnect (another node takes
   * it), resend what got 503 with the same clientId, and resync with `?after=`.
   */
  'server:shutdown': (payload: ServerShutdownNotice) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type InterServerEvents = {};

export interface SocketData {
  user: CurrentUserData;
  /** When the handshake's access token expires (epoch ms); the socket is disconnected then. */
  expiresAt?: number;
}

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
