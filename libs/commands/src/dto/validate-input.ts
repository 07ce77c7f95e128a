import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { InvalidInput, type ErrorDetail } from '@registry/shared-kernel';
import { cacheValidationMetadata } from './validation-metadata-cache';

cacheValidationMetadata();

/**
 * Turns an untrusted plain object into a validated DTO, or throws `InvalidInput` whose details
 * name every offending field (dotted path) and the rule it broke. The HTTP pipe and the import
 * command both go through here, so a line of an import file is judged exactly as a request is.
 */
export function validateInput<T extends object>(dtoClass: ClassConstructor<T>, plain: unknown): T {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new InvalidInput('the body must be a JSON object', [{ field: '', rule: 'is-object' }]);
  }
  const instance = plainToInstance(dtoClass, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const details = flatten(errors, '');
    throw new InvalidInput(details.map((d) => d.message).join('; '), details);
  }
  return instance;
}

function flatten(errors: ValidationError[], prefix: string): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation'
        ? { field, rule: 'unknown-field', message: `${field} is not a known field` }
        : { field, rule, message: prefix ? `${prefix}.${message}` : message },
    );
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
