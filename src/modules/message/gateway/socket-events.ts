import type { Server, Socket } from 'socket.io';
import type { ErrorBody } from '../../../common/filters/all-exceptions.filter';
import type { CurrentUserData } from '../../../common/decorators/current-user.decorator';
import type { MessageResponseDto } from '../dto/message-response.dto';

/** What an acknowledgement carries: success with a payload, or API.md's error (status and reason). */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: Pick<ErrorBody, 'statusCode' | 'message'> & Partial<ErrorBody> };

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
  /** Why processing failed (status FAILED). */
  failureReason?: string | null;
}

/** Every event the server sends, declared once: a wrong payload does not compile. */
export interface ServerToClientEvents {
  'message:new': (message: MessageResponseDto) => void;
  'message:updated': (message: MessageResponseDto) => void;
  'message:deleted': (payload: { id: string; planetId: number }) => void;
  'receipt:updated': (payload: ReceiptUpdated) => void;
  typing: (payload: { planetId: number; userId: number; typing: boolean }) => void;
  'media:ready': (payload: MediaReady) => void;
  /** The access token of the connection expired: the server disconnects right after; reconnect with a fresh token. */
  'auth:expired': (payload: { message: string }) => void;
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
