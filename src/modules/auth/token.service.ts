import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppException } from '../../common/errors/app.exception';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';

interface AccessPayload {
  sub: number;
  email: string;
  typ: 'access';
  exp?: number;
}

/** A verified access token: its user, and when it stops being valid (a socket is closed then). */
export interface AccessSession {
  user: CurrentUserData;
  expiresAt: Date;
}

/** Signs and verifies short-lived JWT access tokens (HS256). Shared by the REST guard and the socket handshake. */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  signAccess(user: CurrentUserData): string {
    const payload: AccessPayload = { sub: user.id, email: user.email, typ: 'access' };
    return this.jwt.sign(payload);
  }

  /** The caller, or an AppException(401) whose message says why the token was refused. */
  verifyAccess(token: string): CurrentUserData {
    return this.verifyAccessSession(token).user;
  }

  /** Like verifyAccess, with the token's expiry (for connections that outlive a request). */
  verifyAccessSession(token: string): AccessSession {
    let payload: AccessPayload;
    try {
      payload = this.jwt.verify<AccessPayload>(token, { algorithms: ['HS256'] });
    } catch (err) {
      const name = (err as Error).name;
      throw AppException.unauthorized(name === 'TokenExpiredError' ? 'Access token expired' : 'Invalid access token');
    }
    if (payload.typ !== 'access' || !Number.isInteger(payload.sub)) throw AppException.unauthorized('Invalid access token');
    // jsonwebtoken accepts a token without `exp` as never expiring; ours always carry one.
    if (typeof payload.exp !== 'number') throw AppException.unauthorized('Invalid access token: it has no expiry');
    return { user: { id: payload.sub, email: payload.email }, expiresAt: new Date(payload.exp * 1000) };
  }

  /** Extracts the token of an `Authorization: Bearer <token>` header. */
  static bearer(header: string | undefined): string | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m?.[1];
  }
}
