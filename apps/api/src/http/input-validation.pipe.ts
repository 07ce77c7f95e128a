import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { validateInput } from '@registry/commands';

/** Validates `@Body()` and `@Query()` parameters against their DTO class (whitelist; unknown fields refused). */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  transform(value: unknown, { type, metatype }: ArgumentMetadata): unknown {
    if ((type !== 'body' && type !== 'query') || !metatype || metatype === Object) return value;
    return validateInput(metatype as new () => object, value ?? {});
  }
}
