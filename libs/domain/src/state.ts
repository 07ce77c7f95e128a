import type { EndReason, Instant, Partner, PartnershipDetails } from './partnership';
import type { PartnershipEvent } from './events';
import { latest } from './instants';

export type PartnershipState = { status: 'unknown' } | ExistingPartnership;

export interface ExistingPartnership {
  status: 'active' | 'ended';
  partnershipId: string;
  details: PartnershipDetails;
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

export function evolve(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  const at = event.metadata.effectiveAt;

  if (event.type === 'PartnershipRegistered') {
    const { partnershipId, ...details } = event.data;
    return {
      status: 'active',
      partnershipId,
      details,
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
    case 'PartnershipAmended':
      return { ...current, details: { ...state.details, ...event.data.changes } };
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
