import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { useBindWithoutDeprecatedProperty } from './async-resource-bind';

describe('AsyncResource.prototype.bind without the deprecated property', () => {
  const original = AsyncResource.prototype.bind;
  afterAll(() => {
    AsyncResource.prototype.bind = original;
  });
  beforeAll(() => useBindWithoutDeprecatedProperty());

  const storage = new AsyncLocalStorage<string>();

  it('given a function bound where a context is set, when called outside it, then it runs in that context with its this, arguments and result', () => {
    // given
    const bound = storage.run('request-1', () =>
      new AsyncResource('test').bind(function (this: unknown, a: number, b: number) {
        return { store: storage.getStore(), self: this, sum: a + b };
      }),
    );

    // when
    const result = bound.call('caller', 1, 2);

    // then
    expect(result).toEqual({ store: 'request-1', self: 'caller', sum: 3 });
    expect(bound.length).toBe(2);
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toBeUndefined();
  });

  it('given a thisArg, when the bound function is called, then the thisArg is its this', () => {
    // given
    const target = { name: 'target' };
    // Node's own signature; @types/node leaves out thisArg.
    type BindWithThisArg = (fn: (this: { name: string }) => unknown[], thisArg: unknown) => () => unknown[];
    const bound = storage.run('request-2', () => {
      const resource = new AsyncResource('test');
      return (resource.bind as unknown as BindWithThisArg).call(resource, function (this: { name: string }) {
        return [storage.getStore(), this.name];
      }, target);
    });

    // when / then
    expect(bound()).toEqual(['request-2', 'target']);
  });

  it('given what is not a function, when bound, then a TypeError names the argument', () => {
    expect(() => new AsyncResource('test').bind(42 as never)).toThrow(/"fn" argument/);
  });

  it('given the static AsyncResource.bind, when used, then it goes through the same bind', () => {
    const bound = storage.run('request-3', () => AsyncResource.bind(() => storage.getStore()));
    expect(bound()).toBe('request-3');
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toBeUndefined();
  });
});
