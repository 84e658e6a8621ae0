import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { AppException } from '../errors/app.exception';
import { isBigId } from '../validation/validators';

const INT4_MAX = 2147483647;

/**
 * Path ids of int4 tables (`/travels/:id`): a positive integer that fits the column, else 400
 * naming the parameter — `abc` or `99999999999999999999` never reach SQL.
 */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const field = metadata.data ?? 'id';
    if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > INT4_MAX) {
      throw AppException.badRequest(field, 'must be a positive integer id');
    }
    return Number(value);
  }
}

/** Path ids of bigint tables (messages): a positive integer string within int8, kept as a string. */
@Injectable()
export class BigIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (!isBigId(value)) throw AppException.badRequest(field, 'must be a positive integer id');
    return value;
  }
}
