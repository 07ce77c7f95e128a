import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDate, isDateOrDateTime, isIsoCountryCode } from '@registry/shared-kernel';

/** Identifiers of partnerships, organisations and reports: readable slugs or UUIDs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const ID_RULE_TEXT = '1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: (args) => `${args?.property} must be an existing calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}

export function IsEffectiveDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEffectiveDate',
      validator: {
        validate: (value) => isDateOrDateTime(value),
        defaultMessage: (args) =>
          `${args?.property} must be a date YYYY-MM-DD or an ISO 8601 date-time with a time zone`,
      },
    },
    options,
  );
}

export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCountryCode',
      validator: {
        validate: (value) => typeof value === 'string' && isIsoCountryCode(value),
        defaultMessage: (args) => `${args?.property} must be an ISO 3166-1 alpha-2 code in capitals (e.g. FJ)`,
      },
    },
    options,
  );
}
