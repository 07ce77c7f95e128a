import { DomainRuleViolation, END_REASONS, InvalidInput, NotFound, canonicalJson } from '@registry/shared-kernel';
import type {
  AmendPartnership,
  DesignateLead,
  EndPartnership,
  FileReport,
  JoinPartner,
  LeavePartner,
  MergePartnership,
  RegisterPartnership,
  SingleStreamCommand,
} from './commands';
import type { PartnershipEvent, PartnershipEventType } from './events';
import { isBefore } from './instants';
import type { CalendarDate, Instant, PartnershipDetails, Themes } from './partnership';
import { evolve, initialState, type ExistingPartnership, type PartnershipState } from './state';

/** The detail attributes a command may set; the record makes the compiler keep it complete. */
const DETAIL_FIELDS: Record<keyof PartnershipDetails, true> = {
  name: true,
  description: true,
  themes: true,
  scope: true,
  regions: true,
  countries: true,
  startDate: true,
  endDate: true,
  resources: true,
  mechanisms: true,
};
export const AMENDABLE_FIELDS = Object.keys(DETAIL_FIELDS) as readonly (keyof PartnershipDetails)[];

/*
 * Effective dates. A stream is recorded in position order but read "as of" a date in
 * (effectiveAt, position) order; each rule below keeps that second fold valid:
 * - membership changes (join, leave, lead) may not precede the last membership change, so a
 *   partner never leaves, or becomes lead, before it joined in effective order;
 * - ending (and merging away) may not precede any event, so nothing takes effect after the end;
 * - reports and amendments touch no membership, so they may be back-dated to any time from
 *   registration on: they are late filings and corrections.
 */

export function decide(command: SingleStreamCommand, state: PartnershipState): PartnershipEvent[] {
  if (command.type === 'RegisterPartnership') return register(command, state);

  const partnership = requireActive(state, command.data.partnershipId);
  requireNotInFuture(command.metadata);
  requireNotBefore(command.metadata.effectiveAt, partnership.registeredAt, 'not-before-registration', 'the registration');
  switch (command.type) {
    case 'JoinPartner':
      return join(command, partnership);
    case 'LeavePartner':
      return leave(command, partnership);
    case 'DesignateLead':
      return designateLead(command, partnership);
    case 'FileReport':
      return fileReport(command, partnership);
    case 'AmendPartnership':
      return amend(command, partnership);
    case 'EndPartnership':
      return end(command, partnership);
  }
}

export function decideMerge(
  command: MergePartnership,
  absorbed: PartnershipState,
  survivor: PartnershipState,
): { absorbed: PartnershipEvent[]; survivor: PartnershipEvent[] } {
  const { partnershipId, into } = command.data;
  const at = command.metadata.effectiveAt;
  if (partnershipId === into) {
    throw new DomainRuleViolation('into', 'not-self', `partnership ${partnershipId} cannot be merged into itself`);
  }
  const from = requireActive(absorbed, partnershipId);
  if (survivor.status === 'unknown') {
    throw new DomainRuleViolation('into', 'partnership-exists', `partnership ${into} does not exist`);
  }
  if (survivor.status === 'ended') {
    throw new DomainRuleViolation('into', 'partnership-active', `partnership ${into} has ended`);
  }
  requireNotInFuture(command.metadata);
  requireNotBefore(at, from.registeredAt, 'not-before-registration', `the registration of ${partnershipId}`);
  requireNotBefore(at, survivor.registeredAt, 'not-before-registration', `the registration of ${into}`);
  requireNotBefore(at, from.lastEffectiveAt, 'not-before-last-event', `the last event of ${partnershipId}`);
  requireNotBefore(
    at,
    survivor.lastMembershipChangeAt,
    'not-before-last-membership-change',
    `the last membership change of ${into}`,
  );

  // The survivor's leads stay the leads: carried-over partners join as ordinary partners.
  const carriedOver = Object.values(from.partners).filter((partner) => !survivor.partners[partner.orgId]);
  return {
    absorbed: [
      emit('PartnershipMerged', { partnershipId, into }, at),
      emit('PartnershipEnded', { partnershipId, reason: 'merged', mergedInto: into }, at),
    ],
    survivor: [
      emit('PartnershipAbsorbed', { partnershipId: into, absorbed: partnershipId }, at),
      ...carriedOver.map(({ lead: _lead, ...partner }) =>
        emit('PartnerJoined', { partnershipId: into, partner, lead: false, viaMergeOf: partnershipId }, at),
      ),
    ],
  };
}

/** The single-stream decider as one value, in Emmett's shape. */
export const partnershipDecider = {
  decide,
  evolve,
  initialState: (): PartnershipState => initialState,
};

function register(command: RegisterPartnership, state: PartnershipState): PartnershipEvent[] {
  const { partnershipId, partners } = command.data;
  if (state.status !== 'unknown') {
    throw new DomainRuleViolation('partnershipId', 'not-already-registered', `partnership ${partnershipId} is already registered`);
  }
  requireNotInFuture(command.metadata);
  const details = detailsOf(command.data);
  requireEndAfterStart(details.startDate, details.endDate, 'endDate');
  requireValidThemes(details.themes, 'themes');
  if (!partners.some((partner) => partner.lead)) {
    throw new DomainRuleViolation('partners', 'has-lead-partner', 'at least one partner must be lead');
  }
  partners.forEach(({ orgId }, index) => {
    if (partners.findIndex((other) => other.orgId === orgId) < index) {
      throw new DomainRuleViolation(`partners.${index}.orgId`, 'unique-org', `organisation ${orgId} is listed twice`);
    }
  });

  const at = command.metadata.effectiveAt;
  return [
    emit('PartnershipRegistered', { partnershipId, ...details }, at),
    ...partners.map(({ lead, ...partner }) => emit('PartnerJoined', { partnershipId, partner, lead: lead === true }, at)),
  ];
}

function join(command: JoinPartner, partnership: ExistingPartnership): PartnershipEvent[] {
  const { partnershipId, partner: { lead, ...partner } } = command.data;
  requireMembershipOrder(command.metadata.effectiveAt, partnership);
  if (partnership.partners[partner.orgId]) {
    throw new DomainRuleViolation('partner.orgId', 'not-already-partner', `${partner.orgId} is already a partner`);
  }
  return [emit('PartnerJoined', { partnershipId, partner, lead: lead === true }, command.metadata.effectiveAt)];
}

function leave(command: LeavePartner, partnership: ExistingPartnership): PartnershipEvent[] {
  const { partnershipId, orgId, designateLead } = command.data;
  const at = command.metadata.effectiveAt;
  requireMembershipOrder(at, partnership);
  const leaving = requirePartner(partnership, orgId);

  const events: PartnershipEvent[] = [];
  if (designateLead != null) {
    const next = partnership.partners[designateLead];
    if (!next || designateLead === orgId) {
      throw new DomainRuleViolation('designateLead', 'is-other-partner', `${designateLead} is not another current partner`);
    }
    if (!next.lead) events.push(emit('LeadPartnerDesignated', { partnershipId, orgId: designateLead }, at));
  } else if (leaving.lead && !Object.values(partnership.partners).some((p) => p.lead && p.orgId !== orgId)) {
    throw new DomainRuleViolation('orgId', 'not-last-lead', `${orgId} is the last lead partner: designate another lead`);
  }
  return [...events, emit('PartnerLeft', { partnershipId, orgId }, at)];
}

function designateLead(command: DesignateLead, partnership: ExistingPartnership): PartnershipEvent[] {
  const { partnershipId, orgId } = command.data;
  requireMembershipOrder(command.metadata.effectiveAt, partnership);
  if (requirePartner(partnership, orgId).lead) {
    throw new DomainRuleViolation('orgId', 'not-already-lead', `${orgId} is already a lead partner`);
  }
  return [emit('LeadPartnerDesignated', { partnershipId, orgId }, command.metadata.effectiveAt)];
}

function fileReport(command: FileReport, partnership: ExistingPartnership): PartnershipEvent[] {
  const { partnershipId, reportId, period, summary, activities } = command.data;
  if (period.from > period.to) {
    throw new DomainRuleViolation('period.from', 'not-after-period-to', `period starts ${period.from}, after it ends ${period.to}`);
  }
  if (partnership.reportIds.includes(reportId)) {
    throw new DomainRuleViolation('reportId', 'unique-report', `report ${reportId} was already filed`);
  }
  return [emit('ReportFiled', { partnershipId, reportId, period, summary, activities }, command.metadata.effectiveAt)];
}

function amend(command: AmendPartnership, partnership: ExistingPartnership): PartnershipEvent[] {
  const { partnershipId } = command.data;
  const sent = Object.entries(command.data.changes ?? {}).filter(([, value]) => value !== undefined);
  if (sent.length === 0) throw new DomainRuleViolation('changes', 'not-empty', 'no changes given');
  const unknown = sent.find(([field]) => !Object.hasOwn(DETAIL_FIELDS, field));
  if (unknown) {
    const message = `${unknown[0]} cannot be amended`;
    throw new InvalidInput(message, [{ field: `changes.${unknown[0]}`, rule: 'amendable-field', message }]);
  }

  // Only real changes are recorded, so every amendment in the audit trail is a meaningful diff.
  const current = partnership.details as unknown as Record<string, unknown>;
  const changes: Partial<PartnershipDetails> = Object.fromEntries(
    sent.filter(([field, value]) => canonicalJson(value) !== canonicalJson(current[field] ?? null)),
  );
  if (Object.keys(changes).length === 0) {
    throw new DomainRuleViolation('changes', 'changes-something', 'every given value equals the current one');
  }

  const result = { ...partnership.details, ...changes };
  if ('startDate' in changes || 'endDate' in changes) {
    // Name the field the client sent: a new start date alone is what conflicts with the end date.
    const field = sent.some(([name]) => name === 'endDate') ? 'changes.endDate' : 'changes.startDate';
    requireEndAfterStart(result.startDate, result.endDate, field);
  }
  if (changes.themes) requireValidThemes(result.themes, 'changes.themes');
  return [emit('PartnershipAmended', { partnershipId, changes }, command.metadata.effectiveAt)];
}

function end(command: EndPartnership, partnership: ExistingPartnership): PartnershipEvent[] {
  const { partnershipId } = command.data;
  const reason: string = command.data.reason;
  requireNotBefore(command.metadata.effectiveAt, partnership.lastEffectiveAt, 'not-before-last-event', 'the last event');
  if (reason === 'merged') {
    throw new DomainRuleViolation('reason', 'not-merged-use-merge', 'a partnership ends by merger through a merge command');
  }
  if (!(END_REASONS as readonly string[]).includes(reason)) {
    const message = `unknown end reason ${reason}`;
    throw new InvalidInput(message, [{ field: 'reason', rule: 'isIn', message }]);
  }
  return [emit('PartnershipEnded', { partnershipId, reason: command.data.reason }, command.metadata.effectiveAt)];
}

// --- helpers ---

type EventOf<T extends PartnershipEventType> = Extract<PartnershipEvent, { type: T }>;

function emit<T extends PartnershipEventType>(type: T, data: EventOf<T>['data'], effectiveAt: Instant): EventOf<T> {
  return { type, data, metadata: { effectiveAt } } as EventOf<T>;
}

/** The details alone, with "not given" normalised to null so events have one shape. */
function detailsOf(data: PartnershipDetails): PartnershipDetails {
  const { name, description, themes, scope, regions, countries, startDate, endDate, resources, mechanisms } = data;
  return {
    name,
    description,
    themes,
    scope,
    regions,
    countries,
    startDate,
    endDate: endDate ?? null,
    resources: resources ?? null,
    mechanisms,
  };
}

function requireActive(state: PartnershipState, partnershipId: string): ExistingPartnership {
  if (state.status === 'unknown') {
    throw new NotFound(`partnership ${partnershipId} not found`, [
      { field: 'partnershipId', rule: 'partnership-exists', message: `partnership ${partnershipId} not found` },
    ]);
  }
  if (state.status === 'ended') {
    throw new DomainRuleViolation('partnershipId', 'partnership-active', `partnership ${partnershipId} has ended`);
  }
  return state;
}

function requirePartner(partnership: ExistingPartnership, orgId: string) {
  const partner = partnership.partners[orgId];
  if (!partner) throw new DomainRuleViolation('orgId', 'is-partner', `${orgId} is not a current partner`);
  return partner;
}

function requireNotInFuture({ now, effectiveAt }: { now: Instant; effectiveAt: Instant }): void {
  if (isBefore(now, effectiveAt)) {
    throw new DomainRuleViolation('effectiveDate', 'not-in-future', `effective date ${effectiveAt} is after now (${now})`);
  }
}

function requireNotBefore(effectiveAt: Instant, bound: Instant, rule: string, what: string): void {
  if (isBefore(effectiveAt, bound)) {
    throw new DomainRuleViolation('effectiveDate', rule, `effective date ${effectiveAt} is before ${what} (${bound})`);
  }
}

function requireMembershipOrder(effectiveAt: Instant, partnership: ExistingPartnership): void {
  requireNotBefore(effectiveAt, partnership.lastMembershipChangeAt, 'not-before-last-membership-change', 'the last membership change');
}

// Calendar dates `YYYY-MM-DD` order correctly as strings.
function requireEndAfterStart(startDate: CalendarDate, endDate: CalendarDate | null, field: string): void {
  if (endDate != null && endDate <= startDate) {
    throw new DomainRuleViolation(field, 'after-start-date', `end date ${endDate} is not after start date ${startDate}`);
  }
}

function requireValidThemes(themes: Themes, field: string): void {
  if (themes.primary.length === 0) {
    throw new DomainRuleViolation(`${field}.primary`, 'has-primary-theme', 'at least one primary theme is required');
  }
  const both = themes.secondary.find((theme) => themes.primary.includes(theme));
  if (both) {
    throw new DomainRuleViolation(`${field}.secondary`, 'not-also-primary', `theme ${both} is already a primary theme`);
  }
}
