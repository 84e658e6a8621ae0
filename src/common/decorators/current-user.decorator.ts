import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppException } from '../errors/app.exception';

/** Who is calling, as the AuthGuard (REST) or the socket handshake verified it. */
export interface CurrentUserData {
  id: number;
  email: string;
}

/** `@CurrentUser() user: CurrentUserData` in a controller method behind AuthGuard. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): CurrentUserData => {
  const req = ctx.switchToHttp().getRequest<{ user?: CurrentUserData }>();
  if (!req.user) throw AppException.unauthorized();
  return req.user;
});
