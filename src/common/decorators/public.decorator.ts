import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_OPERATION } from '../openapi/openapi-document';

export const IS_PUBLIC = 'connecto:isPublic';

/**
 * Marks a route that needs no token (auth, health, docs). Everything else is behind AuthGuard.
 * The same mark gives the route `security: []` in the OpenAPI document, so docs and guard agree.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_OPERATION, true));
