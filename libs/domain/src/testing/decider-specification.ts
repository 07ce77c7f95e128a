import assert from 'node:assert/strict';
import type { ErrorDetail, RegistryError } from '@registry/shared-kernel';

/**
 * Given / when / then for deciders, after Emmett's `DeciderSpecification`:
 *
 *   given([registered]).when(join).then([joined]);
 *   given([registered]).when(join).thenThrows(DomainRuleViolation, { field: 'partner.orgId', rule: 'not-already-partner' });
 *
 * Uses node:assert rather than jest's expect so it compiles without test typings.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

type ErrorClass = abstract new (...args: never[]) => RegistryError;

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return (givenEvents: Event[]) => ({
      when: (command: Command) => {
        const run = () => decider.decide(command, fold(decider, givenEvents));
        return {
          then(expected: Event[]): Event[] {
            const actual = run();
            assert.deepStrictEqual(actual, expected);
            return actual;
          },
          thenThrows(errorClass: ErrorClass, detail?: Pick<ErrorDetail, 'field' | 'rule'>): RegistryError {
            return expectError(run, errorClass, detail);
          },
        };
      },
    });
  },
};

export function fold<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** Runs `action`, asserts it throws `errorClass` and that its (first) detail names `detail`. */
export function expectError(action: () => unknown, errorClass: ErrorClass, detail?: Pick<ErrorDetail, 'field' | 'rule'>): RegistryError {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, `expected ${errorClass.name}, but nothing was thrown`);
  assert.ok(thrown instanceof errorClass, `expected ${errorClass.name}, got ${String(thrown)}`);
  if (detail) {
    const [{ field, rule } = { field: undefined, rule: undefined }] = thrown.details;
    assert.deepStrictEqual({ field, rule }, detail, thrown.message);
  }
  return thrown;
}
