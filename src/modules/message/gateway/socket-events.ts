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
  ({ ok: true } & T) | { ok: false; error: Pick<ErrorBody, 'statusCode' | 'message'> & Partial<ErrorBody> & { retryAfter?: number } };

export interface SendPayload {
  planetId: number;
  /** At most 4,000 characters; content or mediaIds is required. */
  content?: string;
  /** A message of the same planet (bigint as a string). */
  replyToMessageId?: string;
  /** Media the sender uploaded. */
  mediaIds?: number[];
  /** The client's own id for the message: a resend with the same clientId returns the stored message instead of a second one. */
  clientId?: string;
}

export interface ReadPayload {
  planetId: number;
  /** "I have read up to here" (bigint as a string). */
  messageId: string;
}

export interface TypingPayload {
  planetId: number;
}

/** Every event a client may send, with its payload and ack (API.md, Socket.IO). */
export interface ClientToServerEvents {
  /** Send a message; the ack carries the stored message (or the error). Members of the planet get message:new. */
  'message:send': (payload: SendPayload, ack?: (res: Ack<{ message: MessageResponseDto }>) => void) => void;
  /** Move my read watermark of a planet forward; members get receipt:updated. */
  'message:read': (payload: ReadPayload, ack?: (res: Ack) => void) => void;
  /** I started typing in a planet; the other members get typing. */
  'typing:start': (payload: TypingPayload) => void;
  /** I stopped typing in a planet. */
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
  /** Why processing failed (status FAILED). */
  failureReason?: string | null;
}

/** Every event the server sends, declared once: a wrong payload does not compile. */
export interface ServerToClientEvents {
  /** A message was sent to one of my planets (the REST message shape). */
  'message:new': (message: MessageResponseDto) => void;
  /** A message of one of my planets was edited. */
  'message:updated': (message: MessageResponseDto) => void;
  /** A message of one of my planets was deleted (it stays as a tombstone in lists); `changeSeq`: the tombstone's place in GET /planets/:planetId/changes. */
  'message:deleted': (payload: { id: string; planetId: number; changeSeq: string }) => void;
  /** A member's read watermark moved: recompute unread counts. */
  'receipt:updated': (payload: ReceiptUpdated) => void;
  /** A member started or stopped typing. */
  typing: (payload: { planetId: number; userId: number; typing: boolean }) => void;
  /** Uploaded media finished processing (not sent yet: the media routes are not built). */
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
