import { ValidationError } from 'class-validator';
import { AppException, ErrorCode, ErrorDetail } from './app.exception';

/** Flattens class-validator's tree into `{ field: 'a.b', problem }` rows. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const problem of Object.values(e.constraints ?? {})) {
      out.push({ field, problem: problem.startsWith(`${e.property} `) ? problem.slice(e.property.length + 1) : problem });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

export function validationException(errors: ValidationError[]): AppException {
  const details = flattenValidationErrors(errors);
  const message = details.map((d) => `${d.field} ${d.problem}`).join('; ') || 'Invalid input';
  return new AppException(ErrorCode.VALIDATION, message, details);
}
