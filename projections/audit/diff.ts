import type { PartnershipState } from '@registry/domain';
import { canonicalJson } from '@registry/shared-kernel';

export interface FieldChange {
  /** Dotted path in the partnership state, e.g. `details.scope`, `partners.unep.lead`, `status`. */
  path: string;
  /** null when the field did not exist before. */
  before: unknown;
  /** null when the field no longer exists. */
  after: unknown;
}

/**
 * The bookkeeping fields of the domain state that every event moves (when each value took
 * effect, the latest effective instants): they are in the event's own `effectiveAt`, so the
 * diff leaves them out and shows only what the partnership is.
 */
const BOOKKEEPING = new Set(['detailsEffectiveAt', 'lastEffectiveAt', 'lastMembershipChangeAt']);

/** The state of a partnership before its registration, with every container present, so a registration diffs attribute by attribute. */
const UNREGISTERED = {
  status: 'unknown',
  partnershipId: null,
  details: {},
  partners: {},
  registeredAt: null,
  reportCount: 0,
  lastReportAt: null,
  endReason: null,
  mergedInto: null,
  absorbed: [],
};

/**
 * Field-level differences between two states of a partnership. Objects are compared field by
 * field (a partner that joins or leaves is one change at `partners.<orgId>`); arrays and scalars
 * are compared whole, as canonical JSON, so reordering keys is no change.
 */
export function diffStates(before: PartnershipState, after: PartnershipState): FieldChange[] {
  const changes: FieldChange[] = [];
  diff(view(before), view(after), '', changes);
  return changes;
}

/**
 * What the diff compares. The list of report ids becomes their count: a report's id is in the
 * event itself, and the whole list twice in every report's audit record would grow with each one.
 */
function view(state: PartnershipState): Record<string, unknown> {
  if (state.status === 'unknown') return UNREGISTERED;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (key === 'reportIds') fields.reportCount = state.reportIds.length;
    else if (!BOOKKEEPING.has(key)) fields[key] = value;
  }
  return fields;
}

function diff(before: unknown, after: unknown, path: string, changes: FieldChange[]): void {
  // `evolve` keeps what an event does not change, so most of the state compares by reference,
  // without writing its canonical JSON (the list of report ids grows with every report).
  if (before === after) return;
  if (isObject(before) && isObject(after)) {
    // Keys in the order the state lists them (status, details in their order, …), new ones last.
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      diff(before[key], after[key], path === '' ? key : `${path}.${key}`, changes);
    }
    return;
  }
  if (canonicalJson(before ?? null) !== canonicalJson(after ?? null)) {
    changes.push({ path, before: before ?? null, after: after ?? null });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
