import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ID_PATTERN, ID_RULE_TEXT } from '@registry/commands';
import { InvalidInput } from '@registry/shared-kernel';

/** Path ids follow the same pattern as ids in bodies; anything else is a 400, not a lookup. */
@Injectable()
export class PartnershipIdPipe implements PipeTransform<string, string> {
  transform(value: string, { data }: ArgumentMetadata): string {
    if (!ID_PATTERN.test(value)) {
      throw new InvalidInput(`${data} must be ${ID_RULE_TEXT}`, [{ field: data ?? 'id', rule: 'id-format' }]);
    }
    return value;
  }
}
