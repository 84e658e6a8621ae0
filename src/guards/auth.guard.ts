import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CurrentUserData } from '../common/decorators/current-user.decorator';
import { IS_PUBLIC } from '../common/decorators/public.decorator';
import { AppException } from '../common/errors/app.exception';
import { AccountStatusService } from '../modules/auth/account-status.service';
import { TokenService } from '../modules/auth/token.service';

/**
 * REST authentication: a valid Bearer access token, or 401. Registered globally (APP_GUARD), so no
 * route is public by accident and no controller needs `@UseGuards`; `@Public()` opts a route out.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly accounts: AccountStatusService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request & { user?: CurrentUserData }>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const token = TokenService.bearer(req.headers.authorization);
    if (!token) throw AppException.unauthorized('Missing Authorization: Bearer <accessToken> header');
    const user = this.tokens.verifyAccess(token);
    await this.accounts.assertLive(user.id);
    req.user = user;
    return true;
  }
}
