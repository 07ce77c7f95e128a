import type { EndReason, Instant, Partner, PartnershipDetails } from './partnership';
import type { PartnershipEvent } from './events';
import { isBefore, latest } from './instants';

export type PartnershipState = { status: 'unknown' } | ExistingPartnership;

export interface ExistingPartnership {
  status: 'active' | 'ended';
  partnershipId: string;
  details: PartnershipDetails;
  /**
   * When each attribute's current value took effect. An amendment changes an attribute only if
   * it takes effect no earlier than the value it would replace, so folding a stream in recording
   * order gives the same state as folding it in effective order (a back-dated correction does
   * not override a later-effective one recorded before it).
   */
  detailsEffectiveAt: Record<keyof PartnershipDetails, Instant>;
  /** Current partners only, keyed by orgId. */
  partners: Record<string, Partner>;
  /** effectiveAt of PartnershipRegistered. */
  registeredAt: Instant;
  /** Latest effectiveAt of a join, leave, lead designation, absorption or merge. */
  lastMembershipChangeAt: Instant;
  /** Latest effectiveAt of any event. */
  lastEffectiveAt: Instant;
  reportIds: string[];
  /** Latest effectiveAt of a ReportFiled. */
  lastReportAt: Instant | null;
  endReason: EndReason | null;
  mergedInto: string | null;
  /** Ids of the partnerships merged into this one. */
  absorbed: string[];
}

export const initialState: PartnershipState = { status: 'unknown' };

/**
 * The shape of `PartnershipState` as the command side's stream snapshots keep it (as JSON). Bump
 * it when the state's shape or meaning changes: snapshots of another version are not read, and
 * each stream gets a new one as it is written to.
 */
export const STATE_SNAPSHOT_SCHEMA_VERSION = 1;

export function evolve(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  const at = event.metadata.effectiveAt;

  if (event.type === 'PartnershipRegistered') {
    const { partnershipId, ...details } = event.data;
    return {
      status: 'active',
      partnershipId,
      details,
      detailsEffectiveAt: Object.fromEntries(Object.keys(details).map((key) => [key, at])) as ExistingPartnership['detailsEffectiveAt'],
      partners: {},
      registeredAt: at,
      lastMembershipChangeAt: at,
      lastEffectiveAt: at,
      reportIds: [],
      lastReportAt: null,
      endReason: null,
      mergedInto: null,
      absorbed: [],
    };
  }
  // The decider never emits anything else on a stream that was not registered.
  if (state.status === 'unknown') return state;

  // Reports and amendments may be back-dated, so stream order is not effectiveAt order: keep maxima.
  const current: ExistingPartnership = { ...state, lastEffectiveAt: latest(state.lastEffectiveAt, at) };
  const membershipChanged = (): ExistingPartnership => ({
    ...current,
    lastMembershipChangeAt: latest(state.lastMembershipChangeAt, at),
  });

  switch (event.type) {
    case 'PartnerJoined': {
      const { partner, lead } = event.data;
      return { ...membershipChanged(), partners: { ...state.partners, [partner.orgId]: { ...partner, lead } } };
    }
    case 'PartnerLeft': {
      const { [event.data.orgId]: _left, ...partners } = state.partners;
      return { ...membershipChanged(), partners };
    }
    case 'LeadPartnerDesignated': {
      const partner = state.partners[event.data.orgId];
      if (!partner) return membershipChanged();
      return { ...membershipChanged(), partners: { ...state.partners, [partner.orgId]: { ...partner, lead: true } } };
    }
    case 'ReportFiled':
      return {
        ...current,
        reportIds: [...state.reportIds, event.data.reportId],
        lastReportAt: latest(state.lastReportAt, at),
      };
    case 'PartnershipAmended': {
      const details: Record<string, unknown> = { ...state.details };
      const detailsEffectiveAt: Record<string, Instant> = { ...state.detailsEffectiveAt };
      for (const [key, value] of Object.entries(event.data.changes)) {
        const since = detailsEffectiveAt[key];
        if (since !== undefined && isBefore(at, since)) continue; // superseded by a later-effective value
        details[key] = value;
        detailsEffectiveAt[key] = at;
      }
      return { ...current, details: details as unknown as PartnershipDetails, detailsEffectiveAt: detailsEffectiveAt as ExistingPartnership['detailsEffectiveAt'] };
    }
    case 'PartnershipMerged':
      return { ...membershipChanged(), mergedInto: event.data.into };
    case 'PartnershipAbsorbed':
      return { ...membershipChanged(), absorbed: [...state.absorbed, event.data.absorbed] };
    case 'PartnershipEnded':
      return {
        ...current,
        status: 'ended',
        endReason: event.data.reason,
        mergedInto: event.data.mergedInto ?? state.mergedInto,
      };
  }
}
