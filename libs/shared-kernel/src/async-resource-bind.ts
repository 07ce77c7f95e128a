import { AsyncResource } from 'node:async_hooks';

/**
 * Node before 24.6 gives every function `AsyncResource.prototype.bind` returns a deprecated
 * `asyncResource` accessor pair (DEP0172), each built by `util.deprecate`: about 12 µs a call on
 * this machine, against 0.05 µs for the resource itself. Fastify binds one per request that has
 * a body (its content-type parser), so every command paid it. Node has since stopped paying for
 * it (nodejs/node#59195) and removes the property (nodejs/node#58618); this does the same where
 * the property is still there. The bound function runs in the resource's async scope with the
 * same `this`, arguments, result and `length` as before; only the deprecated property is gone.
 */
export function useBindWithoutDeprecatedProperty(): void {
  if (!hasDeprecatedProperty()) return;
  AsyncResource.prototype.bind = function bind<Func extends (...args: any[]) => any>(this: AsyncResource, fn: Func, thisArg?: unknown) {
    if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : resource.runInAsyncScope.bind(resource, fn, thisArg);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
    return bound as Func;
  };
}

function hasDeprecatedProperty(): boolean {
  const resource = new AsyncResource('registry-probe');
  const bound = resource.bind(() => undefined);
  resource.emitDestroy();
  return Object.getOwnPropertyDescriptor(bound, 'asyncResource') !== undefined;
}
