import { ValidationPipe } from '@nestjs/common';
import { validationException } from '../errors/validation';

/** The global pipe: strips nothing silently (unknown fields are refused), converts types, names fields. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationException(errors),
  });
}
