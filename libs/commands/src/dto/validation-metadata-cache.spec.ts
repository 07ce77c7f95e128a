import { IsInt, IsString, MetadataStorage, Min, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

describe('cacheValidationMetadata', () => {
  // The global storage is patched by validate-input; a storage of its own keeps this test apart.
  const storage = new MetadataStorage();
  const errorsOf = (object: object) =>
    validateSync(object, { forbidUnknownValues: true }).map(({ property, constraints }) => [property, Object.keys(constraints ?? {})]);

  it('given a cached storage, when the same class is looked up twice, then the second lookup answers the first result', () => {
    // given
    class Report {
      @IsString() summary!: string;
    }
    cacheValidationMetadata(storage);
    const add = (target: Function, propertyName: string) =>
      storage.addValidationMetadata({ type: 'isString', target, propertyName, constraints: [], validationTypeOptions: {} } as never);
    add(Report, 'summary');

    // when
    const first = storage.getTargetValidationMetadatas(Report, '', false, false);
    const second = storage.getTargetValidationMetadatas(Report, '', false, false);

    // then
    expect(second).toBe(first);
    expect(storage.groupByPropertyName(second)).toBe(storage.groupByPropertyName(first));
    expect(Object.keys(storage.groupByPropertyName(first))).toEqual(['summary']);
  });

  it('given a rule added after a lookup, when the class is looked up again, then the rule is in the answer', () => {
    // given
    class Period {}
    cacheValidationMetadata(storage);
    const add = (propertyName: string) =>
      storage.addValidationMetadata({ type: 'isString', target: Period, propertyName, constraints: [], validationTypeOptions: {} } as never);
    add('from');
    expect(storage.getTargetValidationMetadatas(Period, '', false, false).map((m) => m.propertyName)).toEqual(['from']);

    // when
    add('to');

    // then
    expect(storage.getTargetValidationMetadatas(Period, '', false, false).map((m) => m.propertyName)).toEqual(['from', 'to']);
  });

  it('given the global storage cached (validate-input does it), when objects are validated again and again, then each gets its own errors', () => {
    // given
    cacheValidationMetadata();
    class Input {
      @IsInt() @Min(1) count!: number;
      @IsString() name!: string;
    }

    // when
    const results = [
      errorsOf(Object.assign(new Input(), { count: 0, name: 'x' })),
      errorsOf(Object.assign(new Input(), { count: 2, name: 'x' })),
      errorsOf(Object.assign(new Input(), { count: 'two', name: 3 })),
    ];

    // then
    expect(results).toEqual([[['count', ['min']]], [], [['count', ['min', 'isInt']], ['name', ['isString']]]]);
  });
});
