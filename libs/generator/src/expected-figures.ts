import type { EndReason, PartnershipDetails } from '@registry/domain';
import {
  CSD_18_19_CLUSTER,
  MECHANISMS,
  PARTNER_TYPES,
  REGIONS,
  SCOPES,
  THEMES,
  isMajorGroup,
  type Mechanism,
  type PartnerType,
  type Region,
  type Scope,
  type Theme,
} from '@registry/shared-kernel';
import type { ImportLine } from './import-line';

export interface PartnerSummary {
  orgId: string;
  type: PartnerType;
  lead: boolean;
}

/** A partnership as a correct read side shows it at the end of the history. */
export interface PartnershipSummary {
  id: string;
  registeredOn: string;
  status: 'active' | 'ended';
  endReason: EndReason | null;
  endedOn: string | null;
  mergedInto: string | null;
  absorbed: string[];
  details: PartnershipDetails;
  /** Current partners, by orgId. */
  partners: Record<string, PartnerSummary>;
  reports: number;
  /** Latest effective date of a progress report: what compliance statuses are computed from. */
  lastReportOn: string | null;
  /** Events on its own stream. */
  events: number;
}

type TypeCounts = Record<PartnerType | 'major-group', number>;
export const PARTNER_BUCKETS = ['2-10', '11-20', '21-30', '31+'] as const;

/** The counts of a trends table (the 2010 report's) over a set of partnerships. */
export interface Trends {
  partnerships: number;
  byRegistrationYear: Record<string, number>;
  byScope: Record<Scope, number>;
  /** Partnerships naming the region (one may name two). */
  byRegion: Record<Region, number>;
  themes: { primary: Record<Theme, number>; secondary: Record<Theme, number>; any: Record<Theme, number> };
  /** Partnerships with a CSD-18/19 cluster theme as primary, and as primary or secondary. */
  cluster: { primary: number; any: number };
  /** Partnerships with at least one partner of the type; `major-group`: of any of the nine. */
  partnerTypes: TypeCounts;
  listings: TypeCounts & { total: number };
  leads: TypeCounts & { total: number };
  duration: { openEnded: number; fixed: number };
  resources: { reported: number; financialSecured: number; inKind: number; seekingFunding: number };
  mechanisms: Record<Mechanism, number>;
  partnersPerPartnership: Record<(typeof PARTNER_BUCKETS)[number], number>;
}

export interface ExpectedFigures {
  lines: number;
  /** Events the lines append, on all streams (a registration with k partners is 1 + k). */
  events: number;
  registered: number;
  active: number;
  ended: Record<EndReason, number>;
  partnerships: Map<string, PartnershipSummary>;
  trends: { registered: Trends; active: Trends };
}

/**
 * The oracle: what a correct read side must show once `lines` are imported, computed by folding
 * the lines themselves, independently of the domain's and projections' code.
 *
 * It folds in file order. That equals the effective-date order a read side uses because, per
 * partnership, membership changes and ends come in effective order and so do amendments (only
 * reports are not, and for them the latest date is kept): the fold checks both and throws if not.
 */
export function expectedFigures(lines: Iterable<ImportLine>): ExpectedFigures {
  const partnerships = new Map<string, Tracked>();
  let lineNumber = 0;
  let events = 0;
  for (const line of lines) {
    lineNumber++;
    try {
      events += apply(partnerships, line);
    } catch (error) {
      throw new Error(`line ${lineNumber} (${line.command}): ${(error as Error).message}`);
    }
  }
  const summaries = [...partnerships.values()].map((tracked) => tracked.summary);
  const active = summaries.filter((p) => p.status === 'active');
  const ended = { completed: 0, dissolved: 0, inactive: 0, merged: 0 };
  for (const p of summaries) if (p.endReason) ended[p.endReason]++;
  return {
    lines: lineNumber,
    events,
    registered: summaries.length,
    active: active.length,
    ended,
    partnerships: new Map(summaries.map((p) => [p.id, p])),
    trends: { registered: tally(summaries), active: tally(active) },
  };
}

interface Tracked {
  summary: PartnershipSummary;
  lastMembershipOn: string;
  lastAmendmentOn: string;
}

/** Applies one line; returns the number of events it appends. */
function apply(partnerships: Map<string, Tracked>, line: ImportLine): number {
  const on = line.effectiveDate;
  if (line.command === 'RegisterPartnership') {
    const { id, partners, ...details } = line.data;
    if (partnerships.has(id)) throw new Error(`${id} is registered twice`);
    const summary: PartnershipSummary = {
      id,
      registeredOn: on,
      status: 'active',
      endReason: null,
      endedOn: null,
      mergedInto: null,
      absorbed: [],
      details: {
        ...details,
        themes: { primary: details.themes.primary, secondary: details.themes.secondary ?? [] },
        endDate: details.endDate ?? null,
        resources: details.resources ?? null,
      },
      partners: Object.fromEntries(partners.map(({ orgId, type, lead }) => [orgId, { orgId, type, lead: lead === true }])),
      reports: 0,
      lastReportOn: null,
      events: 1 + partners.length,
    };
    partnerships.set(id, { summary, lastMembershipOn: on, lastAmendmentOn: on });
    return summary.events;
  }

  const tracked = activePartnership(partnerships, line.data.partnershipId, on);
  const p = tracked.summary;
  const membershipChange = () => {
    if (on < tracked.lastMembershipOn) throw new Error(`membership change on ${on} after one on ${tracked.lastMembershipOn}`);
    tracked.lastMembershipOn = on;
  };
  let events = 1;
  switch (line.command) {
    case 'JoinPartner': {
      membershipChange();
      const { orgId, type, lead } = line.data;
      if (p.partners[orgId]) throw new Error(`${orgId} is already a partner of ${p.id}`);
      p.partners[orgId] = { orgId, type, lead: lead === true };
      break;
    }
    case 'LeavePartner': {
      membershipChange();
      const { orgId, designateLead } = line.data;
      if (!p.partners[orgId]) throw new Error(`${orgId} is not a partner of ${p.id}`);
      delete p.partners[orgId];
      if (designateLead !== undefined && !p.partners[designateLead].lead) {
        p.partners[designateLead].lead = true;
        events++;
      }
      break;
    }
    case 'DesignateLead':
      membershipChange();
      p.partners[line.data.orgId].lead = true;
      break;
    case 'FileReport':
      p.reports++;
      if (p.lastReportOn === null || on > p.lastReportOn) p.lastReportOn = on;
      break;
    case 'AmendPartnership': {
      if (on < tracked.lastAmendmentOn) throw new Error(`amendment effective ${on} after one effective ${tracked.lastAmendmentOn}`);
      tracked.lastAmendmentOn = on;
      const { partnershipId: _id, ...changes } = line.data;
      p.details = { ...p.details, ...changes };
      break;
    }
    case 'MergePartnership': {
      membershipChange();
      const survivor = activePartnership(partnerships, line.data.into, on);
      if (on < survivor.lastMembershipOn) throw new Error(`merge on ${on} before a membership change of ${survivor.summary.id}`);
      survivor.lastMembershipOn = on;
      end(p, 'merged', on);
      p.mergedInto = survivor.summary.id;
      survivor.summary.absorbed.push(p.id);
      const carried = Object.values(p.partners).filter(({ orgId }) => !survivor.summary.partners[orgId]);
      for (const { orgId, type } of carried) survivor.summary.partners[orgId] = { orgId, type, lead: false };
      survivor.summary.events += 1 + carried.length;
      p.events += 2;
      return 2 + 1 + carried.length;
    }
    case 'EndPartnership':
      membershipChange();
      end(p, line.data.reason, on);
      break;
  }
  p.events += events;
  return events;
}

function activePartnership(partnerships: Map<string, Tracked>, id: string, on: string): Tracked {
  const tracked = partnerships.get(id);
  if (!tracked) throw new Error(`${id} is not registered`);
  if (tracked.summary.status === 'ended') throw new Error(`${id} has ended`);
  if (on < tracked.summary.registeredOn) throw new Error(`${on} is before the registration of ${id}`);
  return tracked;
}

function end(p: PartnershipSummary, reason: EndReason, on: string): void {
  p.status = 'ended';
  p.endReason = reason;
  p.endedOn = on;
}

function tally(partnerships: readonly PartnershipSummary[]): Trends {
  const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  const typeKeys = [...PARTNER_TYPES, 'major-group'] as const;
  const t: Trends = {
    partnerships: partnerships.length,
    byRegistrationYear: {},
    byScope: zeros(SCOPES),
    byRegion: zeros(REGIONS),
    themes: { primary: zeros(THEMES), secondary: zeros(THEMES), any: zeros(THEMES) },
    cluster: { primary: 0, any: 0 },
    partnerTypes: zeros(typeKeys),
    listings: { ...zeros(typeKeys), total: 0 },
    leads: { ...zeros(typeKeys), total: 0 },
    duration: { openEnded: 0, fixed: 0 },
    resources: { reported: 0, financialSecured: 0, inKind: 0, seekingFunding: 0 },
    mechanisms: zeros(MECHANISMS),
    partnersPerPartnership: zeros(PARTNER_BUCKETS),
  };
  const isCluster = (theme: Theme) => (CSD_18_19_CLUSTER as readonly Theme[]).includes(theme);

  for (const { registeredOn, details, partners } of partnerships) {
    const year = registeredOn.slice(0, 4);
    t.byRegistrationYear[year] = (t.byRegistrationYear[year] ?? 0) + 1;
    t.byScope[details.scope]++;
    for (const region of details.regions) t.byRegion[region]++;

    const { primary, secondary } = details.themes;
    for (const theme of primary) t.themes.primary[theme]++;
    for (const theme of secondary) t.themes.secondary[theme]++;
    for (const theme of new Set([...primary, ...secondary])) t.themes.any[theme]++;
    if (primary.some(isCluster)) t.cluster.primary++;
    if ([...primary, ...secondary].some(isCluster)) t.cluster.any++;

    const present = new Set<PartnerType | 'major-group'>();
    for (const { type, lead } of Object.values(partners)) {
      const keys = isMajorGroup(type) ? [type, 'major-group' as const] : [type];
      for (const key of keys) {
        present.add(key);
        t.listings[key]++;
        if (lead) t.leads[key]++;
      }
      t.listings.total++;
      if (lead) t.leads.total++;
    }
    for (const key of present) t.partnerTypes[key]++;

    t.duration[details.endDate === null ? 'openEnded' : 'fixed']++;
    if (details.resources) {
      t.resources.reported++;
      if (details.resources.financialSecured) t.resources.financialSecured++;
      if (details.resources.inKind.length > 0) t.resources.inKind++;
      if (details.resources.seekingFunding) t.resources.seekingFunding++;
    }
    for (const mechanism of details.mechanisms) t.mechanisms[mechanism]++;
    t.partnersPerPartnership[bucketOf(Object.keys(partners).length)]++;
  }
  t.byRegistrationYear = Object.fromEntries(Object.entries(t.byRegistrationYear).sort(([a], [b]) => a.localeCompare(b)));
  return t;
}

function bucketOf(partners: number): (typeof PARTNER_BUCKETS)[number] {
  // A generated partnership never drops below two partners; anything else is not its history.
  if (partners < 2) throw new Error(`a partnership with ${partners} partner(s) has no bucket`);
  return partners <= 10 ? '2-10' : partners <= 20 ? '11-20' : partners <= 30 ? '21-30' : '31+';
}
