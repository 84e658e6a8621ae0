import { plainToInstance } from 'class-transformer';
import { IsInt, Max, Min, validate } from 'class-validator';
import { AppException } from '../../../common/errors/app.exception';
import { validationException } from '../../../common/errors/validation';
import { JsonLimits, jsonShapeProblem } from '../../../common/validation/json-limits';
import { ReadMessagesDto } from '../dto/read-messages.dto';
import { SendMessageDto } from '../dto/send-message.dto';

class PlanetIdField {
  @IsInt()
  @Min(1)
  @Max(2147483647)
  planetId!: number;
}

/** `message:send`: the REST body plus the planet. */
export class SendSocketDto extends SendMessageDto {
  @IsInt()
  @Min(1)
  @Max(2147483647)
  planetId!: number;
}

/** `message:read`. */
export class ReadSocketDto extends ReadMessagesDto {
  @IsInt()
  @Min(1)
  @Max(2147483647)
  planetId!: number;
}

/** `typing:start` / `typing:stop`. */
export class TypingSocketDto extends PlanetIdField {}

/**
 * Validates a socket payload with the same rules (and error shape) as REST bodies, and the same
 * nesting and size limits before any DTO work.
 */
export async function parsePayload<T extends object>(cls: new () => T, payload: unknown, limits: JsonLimits): Promise<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw AppException.badRequest('payload', 'must be an object');
  }
  const problem = jsonShapeProblem(payload, limits);
  if (problem) throw AppException.badRequest('payload', problem);
  const dto = plainToInstance(cls, payload);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length > 0) throw validationException(errors);
  return dto;
}
