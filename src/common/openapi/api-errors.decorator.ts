import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** What each error status means in this API (API.md, Errors); the default description of ApiErrors. */
export const ERROR_MEANINGS = {
  400: 'Bad input; `details` names the field',
  401: 'No, bad or expired access token',
  403: 'Not allowed (for example not a member)',
  404: 'Not found, or not visible to you',
  409: 'Conflict with the current state',
  413: 'Request body too large',
  429: 'Rate limited; retry after `Retry-After` seconds',
  503: 'A backing service is down; retry after `Retry-After` seconds',
} as const;

export type ErrorStatus = keyof typeof ERROR_MEANINGS;

/**
 * Documents the error answers of a route (or of every route of a controller) with the one error
 * shape: `@ApiErrors(404)` uses the standard meaning, `@ApiErrors({ 404: 'No such planet', 409: '…' })`
 * says why. 400 (routes with input) and 401 (protected routes) are added to every operation by
 * finishOpenApiDocument, so they need no decorator.
 */
export function ApiErrors(...errors: (ErrorStatus | Partial<Record<ErrorStatus, string>>)[]): MethodDecorator & ClassDecorator {
  const entries: [number, string][] = [];
  for (const e of errors) {
    if (typeof e === 'number') entries.push([e, ERROR_MEANINGS[e]]);
    else for (const [status, description] of Object.entries(e)) entries.push([Number(status), description]);
  }
  return applyDecorators(...entries.map(([status, description]) => ApiResponse({ status, description, type: ErrorResponseDto })));
}
