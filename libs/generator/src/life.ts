import type { PartnershipDetails } from '@registry/domain';
import { isMajorGroup, MECHANISMS, REPORT_ACTIVITIES, type Region } from '@registry/shared-kernel';
import { dateOf, dayOf, years, type Day } from './calendar';
import type { ImportLine, PartnerData } from './import-line';
import { countriesOf, type OrganisationPool } from './organisations';
import * as P from './parameters';
import { Random, Weighted } from './random';
import { drawNew, drawPartnerType, drawRegistration, drawResources, secondaryThemes, type Member } from './registration';
import { RATIONALES, reportSummary } from './texts';

/** What a partnership's life needs from the rest of the registry. */
export interface Registry {
  pool: OrganisationPool;
  /** An active partnership registered before `absorbed`, or undefined when none is found. */
  survivorFor(absorbed: PartnershipLife, random: Random): PartnershipLife | undefined;
}

type Process = 'end' | 'join' | 'leave' | 'lead' | 'amend' | 'report';
/** Also the order of actions due on the same day: the end first, so nothing is due after it. */
const PROCESSES: readonly Process[] = ['end', 'join', 'leave', 'lead', 'amend', 'report'];
type EndReason = 'completed' | 'dissolved' | 'inactive' | 'merged';

type AmendedField = 'name' | 'description' | 'endDate' | 'resources' | 'mechanisms' | 'themes' | 'countries';
const amendedFields = Weighted.of<AmendedField>({ name: 15, description: 15, endDate: 25, resources: 20, mechanisms: 10, themes: 10, countries: 5 });
const habits = Weighted.of(P.REPORTING);
const joinTemperaments = Weighted.of(P.JOIN_TEMPERAMENT);
const NEVER = Number.POSITIVE_INFINITY;

/**
 * One partnership, from registration to its end, as a small simulation: each process (joins,
 * leaves, lead designations, amendments, reports, the end) has its own clock, and `step` carries
 * out whichever is due next against the partnership's current state, so every command it emits
 * is one the deciders accept. Its own PRNG stream keeps it independent of the interleaving.
 */
export class PartnershipLife {
  ended = false;
  private readonly random: Random;
  private readonly details: PartnershipDetails;
  private readonly homeRegion?: Region;
  private readonly partners = new Map<string, Member>();
  private readonly clock: Record<Process, Day>;
  private readonly joinInterval: number;
  private readonly reportInterval: () => number;
  private endReason: EndReason | null = null;
  private completionDelay = 0;
  private reports = 0;
  private lastPeriodEnd: Day;
  private revisions = 0;
  private lastAmendment: { day: Day; field: AmendedField } | null = null;

  constructor(
    readonly index: number,
    readonly id: string,
    readonly registeredOn: Day,
    seed: number,
    private readonly registry: Registry,
  ) {
    const random = (this.random = new Random(seed, index + 1));
    const { details, homeRegion, partners } = drawRegistration(random, registry.pool, registeredOn);
    this.details = details;
    this.homeRegion = homeRegion;
    for (const member of partners) this.partners.set(member.organisation.orgId, member);
    this.lastPeriodEnd = registeredOn - 1;

    this.joinInterval = P.JOIN_INTERVAL[joinTemperaments.draw(random)];
    const habit = habits.draw(random);
    const regular = random.pick(P.REGULAR_INTERVAL_DAYS);
    const intervals: Record<P.ReportingHabit, () => number> = {
      regular: () => regular + random.int(-30, 30),
      sporadic: () => random.around(years(P.SPORADIC_INTERVAL)),
      never: () => NEVER,
    };
    this.reportInterval = intervals[habit];
    const after = (mean: number, probability = 1) => (mean > 0 && random.chance(probability) ? registeredOn + random.around(years(mean)) : NEVER);
    this.clock = {
      end: this.drawEnd(habit),
      join: after(this.joinInterval),
      leave: after(P.LEAVE_INTERVAL, P.LEAVES),
      lead: after(P.LEAD_INTERVAL, P.DESIGNATES_LEADS),
      amend: after(P.AMEND_INTERVAL, P.AMENDS),
      report: registeredOn + this.reportInterval(),
    };
  }

  registration(): ImportLine {
    const { endDate, resources, ...details } = this.details;
    const wssd = this.registeredOn <= WSSD_LAST_DAY;
    return {
      command: 'RegisterPartnership',
      data: {
        id: this.id,
        ...details,
        ...(endDate !== null && { endDate }),
        ...(resources !== null && { resources }),
        partners: [...this.partners.values()].map(partnerData),
      },
      effectiveDate: dateOf(this.registeredOn),
      rationale: wssd ? RATIONALES.wssd : RATIONALES.registered,
    };
  }

  /** The day of its next action; infinite when nothing more will happen. */
  nextDay(): Day {
    return this.ended ? NEVER : this.clock[this.dueProcess()];
  }

  /** Carries out the action due `today` (its `nextDay()`): a line, or undefined when it came to nothing. */
  step(today: Day): ImportLine | undefined {
    switch (this.dueProcess()) {
      case 'end':
        return this.end(today);
      case 'join':
        this.clock.join = today + this.random.around(years(this.joinInterval));
        return this.join(today);
      case 'leave':
        this.clock.leave = today + this.random.around(years(P.LEAVE_INTERVAL));
        return this.leave(today);
      case 'lead':
        this.clock.lead = today + this.random.around(years(P.LEAD_INTERVAL));
        return this.designateLead(today);
      case 'amend':
        this.clock.amend = today + this.random.around(years(P.AMEND_INTERVAL));
        return this.amend(today);
      case 'report':
        this.clock.report = today + this.reportInterval();
        return this.fileReport(today);
    }
  }

  /** The process with the earliest clock; on a tie, the first in PROCESSES. */
  private dueProcess(): Process {
    let due = PROCESSES[0];
    for (const process of PROCESSES) if (this.clock[process] < this.clock[due]) due = process;
    return due;
  }

  /** The partners of a partnership merged into this one join as ordinary partners (decideMerge). */
  absorb(absorbed: PartnershipLife): void {
    for (const [orgId, { organisation }] of absorbed.partners) {
      if (!this.partners.has(orgId)) this.partners.set(orgId, { organisation, lead: false });
    }
  }

  get primaryThemes(): readonly string[] {
    return this.details.themes.primary;
  }

  private drawEnd(habit: P.ReportingHabit): Day {
    const { random, registeredOn } = this;
    const draw = random.next();
    if (draw < P.MERGED + P.DISSOLVED) {
      this.endReason = draw < P.MERGED ? 'merged' : 'dissolved';
      return registeredOn + random.int(years(1), years(12));
    }
    if (this.details.endDate !== null && random.chance(P.COMPLETED_AT_END_DATE)) {
      this.endReason = 'completed';
      this.completionDelay = random.int(0, 180);
      return Math.max(registeredOn + 1, dayOf(this.details.endDate) + this.completionDelay);
    }
    const inactive = habit === 'never' ? P.INACTIVE_IF_NEVER_REPORTS : habit === 'sporadic' ? P.INACTIVE_IF_SPORADIC : 0;
    if (random.chance(inactive)) {
      this.endReason = 'inactive';
      return registeredOn + (habit === 'never' ? random.int(years(2), years(6)) : random.int(years(5), years(15)));
    }
    return NEVER;
  }

  private end(today: Day): ImportLine {
    this.ended = true;
    const partnershipId = this.id;
    const effectiveDate = dateOf(today);
    const survivor = this.endReason === 'merged' ? this.registry.survivorFor(this, this.random) : undefined;
    if (survivor) {
      survivor.absorb(this);
      return { command: 'MergePartnership', data: { partnershipId, into: survivor.id }, effectiveDate, rationale: RATIONALES.merged };
    }
    // A merge with no partnership to merge into is a dissolution.
    const reason = this.endReason === 'merged' || this.endReason === null ? 'dissolved' : this.endReason;
    return { command: 'EndPartnership', data: { partnershipId, reason }, effectiveDate, rationale: RATIONALES[reason] };
  }

  private join(today: Day): ImportLine | undefined {
    const groups = [...this.partners.values()].map((m) => m.organisation.type).filter(isMajorGroup);
    const type = drawPartnerType(this.random, [...new Set(groups)]);
    const organisation = drawNew(this.random, this.registry.pool, type, this.homeRegion, this.partners);
    if (!organisation) return undefined;
    const member = { organisation, lead: this.random.chance(P.JOIN_AS_LEAD) };
    this.partners.set(organisation.orgId, member);
    return { command: 'JoinPartner', data: { partnershipId: this.id, ...partnerData(member) }, effectiveDate: dateOf(today) };
  }

  /** Never below two partners (a multi-stakeholder partnership); the last lead hands over. */
  private leave(today: Day): ImportLine | undefined {
    if (this.partners.size <= 2) return undefined;
    const members = [...this.partners.values()];
    const leaving = this.random.pick(members);
    const lastLead = leaving.lead && members.filter((m) => m.lead).length === 1;
    const successor = lastLead ? this.random.pick(members.filter((m) => m !== leaving)) : undefined;
    this.partners.delete(leaving.organisation.orgId);
    if (successor) successor.lead = true;
    return {
      command: 'LeavePartner',
      data: {
        partnershipId: this.id,
        orgId: leaving.organisation.orgId,
        ...(successor && { designateLead: successor.organisation.orgId }),
      },
      effectiveDate: dateOf(today),
    };
  }

  private designateLead(today: Day): ImportLine | undefined {
    const candidates = [...this.partners.values()].filter((m) => !m.lead);
    if (candidates.length === 0) return undefined;
    const member = this.random.pick(candidates);
    member.lead = true;
    return { command: 'DesignateLead', data: { partnershipId: this.id, orgId: member.organisation.orgId }, effectiveDate: dateOf(today) };
  }

  private fileReport(today: Day): ImportLine {
    const from = this.lastPeriodEnd + 1;
    const to = Math.max(from, today - this.random.int(0, 90));
    this.lastPeriodEnd = to;
    const activities = REPORT_ACTIVITIES.filter(() => this.random.chance(0.5));
    if (activities.length === 0) activities.push(this.random.pick(REPORT_ACTIVITIES));
    return {
      command: 'FileReport',
      data: {
        partnershipId: this.id,
        reportId: `${this.id}-r${++this.reports}`,
        period: { from: dateOf(from), to: dateOf(to) },
        summary: reportSummary(activities),
        activities,
      },
      effectiveDate: dateOf(today),
    };
  }

  /**
   * Amendments stay in effective order among themselves (so that folding them in file order or in
   * effective order ends in the same details), but may be back-dated before later joins, leaves
   * and reports; a correction re-amends the previous amendment's field, effective on its date.
   */
  private amend(today: Day): ImportLine {
    const previous = this.lastAmendment;
    const correction = previous !== null && this.random.chance(P.AMENDMENT_CORRECTION);
    const field = correction ? previous.field : amendedFields.draw(this.random);
    const changes = this.changeOf(field, today);
    const earliest = Math.max(this.registeredOn, previous?.day ?? this.registeredOn);
    const day = correction ? previous.day : this.random.chance(P.AMENDMENT_BACK_DATED) ? this.random.int(earliest, today) : today;
    Object.assign(this.details, changes);
    // The field actually changed: `countries` and `endDate` fall back to `description` at times.
    this.lastAmendment = { day, field: Object.keys(changes)[0] as AmendedField };
    if ('endDate' in changes && this.endReason === 'completed') {
      const endDate = this.details.endDate;
      this.clock.end = endDate === null ? NEVER : Math.max(today + 1, dayOf(endDate) + this.completionDelay);
    }
    const rationale = correction ? RATIONALES.correction(dateOf(previous.day)) : day < today ? RATIONALES.backDated : RATIONALES.amended;
    return { command: 'AmendPartnership', data: { partnershipId: this.id, ...changes }, effectiveDate: dateOf(day), rationale };
  }

  /** A value of `field` different from the current one (the decider refuses an amendment that changes nothing). */
  private changeOf(field: AmendedField, today: Day): Partial<PartnershipDetails> {
    const { random, details } = this;
    const revision = ++this.revisions;
    switch (field) {
      case 'name':
        return { name: `${details.name.replace(/ \(phase \d+\)$/, '')} (phase ${revision + 1})` };
      case 'endDate': {
        // Mostly extensions: the share of fixed-term partnerships stays near the report's 63 %.
        if (details.endDate !== null) {
          return { endDate: random.chance(0.2) ? null : dateOf(dayOf(details.endDate) + random.int(years(1), years(5))) };
        }
        if (random.chance(0.4)) return { endDate: dateOf(Math.max(dayOf(details.startDate), today) + random.int(years(1), years(6))) };
        return this.changeOf('description', today);
      }
      case 'resources': {
        const resources = details.resources;
        if (resources === null) return { resources: drawResources(random) };
        if (random.chance(0.5)) return { resources: { ...resources, financialSecured: !resources.financialSecured } };
        const { seekingAmount: _dropped, ...rest } = resources;
        return { resources: { ...rest, seekingFunding: !resources.seekingFunding } };
      }
      case 'mechanisms': {
        // As often one more as one fewer, so the shares of the report hold.
        const missing = MECHANISMS.filter((m) => !details.mechanisms.includes(m));
        const adds = missing.length > 0 && (details.mechanisms.length === 0 || random.chance(0.5));
        const toggled = adds ? random.pick(missing) : random.pick(details.mechanisms);
        return { mechanisms: MECHANISMS.filter((m) => (m === toggled) !== details.mechanisms.includes(m)) };
      }
      case 'themes': {
        const { primary, secondary } = details.themes;
        const [added] = secondary.length < 6 ? secondaryThemes.drawDistinct(random, 1, [...primary, ...secondary]) : [];
        if (added) return { themes: { primary, secondary: [...secondary, added] } };
        const removed = random.pick(secondary);
        return { themes: { primary, secondary: secondary.filter((theme) => theme !== removed) } };
      }
      case 'countries': {
        const home = this.homeRegion;
        const more = details.scope === 'subregional' && home ? countriesOf(home).filter((c) => !details.countries.includes(c)) : [];
        if (more.length > 0) return { countries: [...details.countries, random.pick(more)] };
        return { description: `${details.description.replace(/ \(revision \d+\)$/, '')} (revision ${revision})` };
      }
      case 'description':
        return { description: `${details.description.replace(/ \(revision \d+\)$/, '')} (revision ${revision})` };
    }
  }
}

const WSSD_LAST_DAY = dayOf('2002-09-04');

function partnerData({ organisation, lead }: Member): PartnerData {
  return lead ? { ...organisation, lead: true } : { ...organisation };
}
