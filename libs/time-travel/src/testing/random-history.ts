import {
  decide,
  decideMerge,
  evolve,
  initialState,
  type PartnershipCommand,
  type PartnershipDetails,
  type PartnershipEvent,
  type PartnershipState,
} from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import { MECHANISMS, PARTNER_TYPES, REGIONS, SCOPES } from '@registry/shared-kernel';

/**
 * Random registry histories for the as-of property tests: commands decided by the domain's own
 * deciders (so every history is one the registry could record), with back-dated reports and
 * amendments, partners joining and leaving (possibly at the same instant as other changes),
 * leads, ends and merges, effective instants at midnight or mid-day, and recording batches whose
 * `recordedAt` is non-decreasing (several commands may share one instant).
 */

const DAY = 86_400_000;
const ORIGIN = Date.parse('2002-01-01T00:00:00.000Z');
const SPAN_DAYS = 4000;
const THEME_POOL = ['transport', 'chemicals', 'mining', 'water', 'energy', 'health'] as const;
const ORGS = ['unep', 'usa', 'icct', 'kenya', 'ipieca', 'wwf', 'fao'];

export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    // mulberry32
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  subset<T>(items: readonly T[], min = 0): T[] {
    const out = items.filter(() => this.next() < 0.35);
    while (out.length < min) {
      const item = this.pick(items);
      if (!out.includes(item)) out.push(item);
    }
    return out;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface RandomHistory {
  events: RecordedEvent[];
  ids: string[];
  /** Every effective instant used (ms), for choosing interesting T. */
  instants: number[];
  /** Every recordedAt used, ascending. */
  recordedAts: string[];
}

export function randomHistory(seed: number, commands = 60): RandomHistory {
  const random = new Random(seed);
  const states = new Map<string, PartnershipState>();
  const events: RecordedEvent[] = [];
  const versions = new Map<string, number>();
  const instants: number[] = [];
  const recordedAts: string[] = [];
  let recordedClock = Date.parse('2026-01-01T00:00:00.000Z');
  const now = new Date(Date.parse('2025-12-31T00:00:00.000Z')).toISOString();

  const instantAfter = (from: number, maxDays = 400): string => {
    let ms = from + random.int(maxDays) * DAY;
    if (random.chance(0.25)) ms += random.int(24) * 3_600_000; // mid-day
    if (random.chance(0.15)) ms = from; // at the same instant
    ms = Math.min(ms, ORIGIN + SPAN_DAYS * DAY);
    return new Date(ms).toISOString();
  };
  const details = (): PartnershipDetails => ({
    name: `partnership ${random.int(1000)}`,
    description: random.pick(['clean fuels', 'mercury in mining', 'water for all', '']),
    themes: { primary: random.subset(THEME_POOL, 1), secondary: random.subset(THEME_POOL) },
    scope: random.pick(SCOPES),
    regions: random.subset(REGIONS),
    countries: random.chance(0.5) ? ['KE'] : [],
    startDate: '2002-01-01',
    endDate: random.chance(0.5) ? '2015-12-31' : null,
    resources: random.chance(0.3) ? null : { financialSecured: random.chance(0.5), inKind: random.subset(['office', 'staff'] as const), seekingFunding: random.chance(0.5), fundingSources: [] },
    mechanisms: random.subset(MECHANISMS),
  });
  const partner = (orgId: string, lead: boolean) => ({ orgId, name: `org ${orgId}`, type: random.pick(PARTNER_TYPES), lead });

  const record = (perStream: [string, PartnershipEvent[]][]) => {
    if (random.chance(0.7)) recordedClock += random.int(3) * DAY + random.int(1000);
    const recordedAt = new Date(recordedClock).toISOString();
    recordedAts.push(recordedAt);
    for (const [streamId, list] of perStream) {
      for (const event of list) {
        const version = (versions.get(streamId) ?? 0) + 1;
        versions.set(streamId, version);
        events.push({
          eventId: `e${events.length + 1}`,
          streamId,
          streamVersion: version,
          globalPosition: events.length + 1,
          type: event.type,
          schemaVersion: 1,
          data: event.data,
          metadata: { actor: { id: 'a', role: 'secretariat' }, recordedAt, effectiveAt: event.metadata.effectiveAt, correlationId: 'c', causationId: 'c' },
          hash: 'h',
        });
        states.set(streamId, evolve(states.get(streamId) ?? initialState, event));
        instants.push(Date.parse(event.metadata.effectiveAt));
      }
    }
  };

  let next = 0;
  for (let i = 0; i < commands; i++) {
    const existing = [...states.entries()].filter(([, state]) => state.status !== 'unknown');
    const active = existing.filter(([, state]) => state.status === 'active');
    const roll = random.next();
    let command: PartnershipCommand;
    if (existing.length === 0 || roll < 0.15) {
      const id = `p${next++}`;
      const orgs = random.subset(ORGS, 1);
      command = {
        type: 'RegisterPartnership',
        data: { partnershipId: id, ...details(), partners: orgs.map((orgId, index) => partner(orgId, index === 0)) },
        metadata: { now, effectiveAt: instantAfter(ORIGIN, 3000) },
      };
    } else if (active.length === 0) {
      continue;
    } else {
      const [id, state] = random.pick(active);
      if (state.status === 'unknown') continue;
      const membership = Date.parse(state.lastMembershipChangeAt);
      const registered = Date.parse(state.registeredAt);
      const members = Object.keys(state.partners);
      const metadata = (at: string) => ({ now, effectiveAt: at });
      if (roll < 0.35) {
        const orgId = random.pick(ORGS);
        command = { type: 'JoinPartner', data: { partnershipId: id, partner: partner(orgId, random.chance(0.3)) }, metadata: metadata(instantAfter(membership)) };
      } else if (roll < 0.45) {
        const orgId = random.pick(members.length > 0 ? members : ORGS);
        const others = members.filter((member) => member !== orgId);
        command = {
          type: 'LeavePartner',
          data: { partnershipId: id, orgId, ...(others.length > 0 && random.chance(0.7) ? { designateLead: random.pick(others) } : {}) },
          metadata: metadata(instantAfter(membership)),
        };
      } else if (roll < 0.5) {
        command = { type: 'DesignateLead', data: { partnershipId: id, orgId: random.pick(members.length > 0 ? members : ORGS) }, metadata: metadata(instantAfter(membership)) };
      } else if (roll < 0.65) {
        command = {
          type: 'FileReport',
          data: { partnershipId: id, reportId: `r${i}`, period: { from: '2003-01-01', to: '2003-12-31' }, summary: 's', activities: [] },
          metadata: metadata(instantAfter(registered, 2500)), // often back-dated
        };
      } else if (roll < 0.85) {
        const all = details();
        const keys = random.subset(Object.keys(all) as (keyof PartnershipDetails)[], 1);
        const changes = Object.fromEntries(keys.map((key) => [key, all[key]])) as Partial<PartnershipDetails>;
        command = { type: 'AmendPartnership', data: { partnershipId: id, changes }, metadata: metadata(instantAfter(registered, 2500)) }; // back-dated corrections
      } else if (roll < 0.93 || active.length < 2) {
        command = { type: 'EndPartnership', data: { partnershipId: id, reason: random.pick(['completed', 'dissolved', 'inactive'] as const) }, metadata: metadata(instantAfter(Date.parse(state.lastEffectiveAt), 600)) };
      } else {
        const [into, survivor] = random.pick(active.filter(([other]) => other !== id));
        const after = Math.max(Date.parse(state.lastEffectiveAt), survivor.status === 'unknown' ? 0 : Date.parse(survivor.lastMembershipChangeAt));
        command = { type: 'MergePartnership', data: { partnershipId: id, into }, metadata: metadata(instantAfter(after, 300)) };
      }
    }
    try {
      if (command.type === 'MergePartnership') {
        const { absorbed, survivor } = decideMerge(command, states.get(command.data.partnershipId) ?? initialState, states.get(command.data.into) ?? initialState);
        record([
          [command.data.partnershipId, absorbed],
          [command.data.into, survivor],
        ]);
      } else {
        const produced = decide(command, states.get(command.data.partnershipId) ?? initialState);
        if (produced.length > 0) record([[command.data.partnershipId, produced]]);
      }
    } catch {
      // a refused command records nothing
    }
  }
  return { events, ids: [...states.keys()].sort(), instants, recordedAts };
}
