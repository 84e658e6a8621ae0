import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { validationException } from '../errors/validation';

/**
 * ValidationPipe without its conversion of primitive route and query parameters: with
 * `transform: true` it turns `@Param('id') id: number` into `+value`, so `0x1`, `1e0`, `+1`,
 * `1.0` and `1\n` all became 1 before IdPipe saw them. Parameters stay the strings they were, and
 * IdPipe / BigIdPipe (or the DTO's own transforms) decide what an id is.
 */
class StrictValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, _metadata: ArgumentMetadata): unknown {
    return value;
  }
}

/** The global pipe: strips nothing silently (unknown fields are refused), converts types, names fields. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationException(errors),
  });
}
