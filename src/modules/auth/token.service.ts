import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppException } from '../../common/errors/app.exception';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';

interface AccessPayload {
  sub: number;
  email: string;
  typ: 'access';
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
    let payload: AccessPayload;
    try {
      payload = this.jwt.verify<AccessPayload>(token, { algorithms: ['HS256'] });
    } catch (err) {
      const name = (err as Error).name;
      throw AppException.unauthorized(name === 'TokenExpiredError' ? 'Access token expired' : 'Invalid access token');
    }
    if (payload.typ !== 'access' || !Number.isInteger(payload.sub)) throw AppException.unauthorized('Invalid access token');
    return { id: payload.sub, email: payload.email };
  }

  /** Extracts the token of an `Authorization: Bearer <token>` header. */
  static bearer(header: string | undefined): string | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m?.[1];
  }
}
