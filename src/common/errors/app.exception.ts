import { HttpStatus } from '@nestjs/common';

/** One field at fault, as in API.md's error shape. */
export interface ErrorDetail {
  field: string;
  problem: string;
}

/** Domain error codes, mapped to HTTP statuses in one place (the global filter). */
export enum ErrorCode {
  VALIDATION = 'VALIDATION',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}

export const STATUS_OF: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.VALIDATION]: HttpStatus.BAD_REQUEST,
  [ErrorCode.UNAUTHORIZED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** A typed domain error with a user-facing message. Services throw these, never bare Errors. */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppException';
  }

  get status(): HttpStatus {
    return STATUS_OF[this.code];
  }

  static badRequest(field: string, problem: string): AppException {
    return new AppException(ErrorCode.VALIDATION, `${field} ${problem}`, [{ field, problem }]);
  }

  static unauthorized(message = 'Authentication required'): AppException {
    return new AppException(ErrorCode.UNAUTHORIZED, message);
  }

  static forbidden(message: string): AppException {
    return new AppException(ErrorCode.FORBIDDEN, message);
  }

  static notFound(what: string): AppException {
    return new AppException(ErrorCode.NOT_FOUND, `${what} not found`);
  }

  static conflict(message: string, field?: string): AppException {
    return new AppException(ErrorCode.CONFLICT, message, field ? [{ field, problem: message }] : undefined);
  }

  static unavailable(message: string, retryAfterSeconds = 5): AppException {
    return new AppException(ErrorCode.SERVICE_UNAVAILABLE, message, undefined, retryAfterSeconds);
  }
}
