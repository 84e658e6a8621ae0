import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'connecto:isPublic';

/** Marks a route that needs no token (auth, health, docs). Everything else is behind AuthGuard. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
