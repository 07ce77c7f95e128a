import { asPartnershipEvent, evolve, initialState, type PartnershipEvent, type PartnershipEventType, type PartnershipState } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import {
  contribution,
  DEFAULT_COMPLIANCE_POLICY,
  facetOf,
  stateOf,
  trendTables,
  addToCounters,
  type CompliancePolicy,
  type ComplianceStatus,
  type Contribution,
  type TrendFacet,
  type TrendTables,
} from '@registry/projections';
import { type CompactFacet, FacetCodec } from './compact-facet';
import { basisAt, complianceDeltas, type ComplianceFacts } from './compliance-timeline';
import { instantMs } from './semantics';

/**
 * The as-of index behind `GET /trends?asOf=T&knownAt=K` and the compliance counts.
 *
 * Model. Under the knowledge of positions <= k, each partnership p has an effective timeline: a
 * step function t -> contribution of p's state at t (the trends projection's `contribution` of
 * its `facetOf`, plus `~p.<theme>` for each primary theme, ended or not, and `~c.<status>` for its
 * compliance status). When the event at position k (effective e) arrives, the deciders make the
 * fold order-independent, so the new timeline equals the old one before e and
 * `evolve(old(t), event)` from e on: only segments starting at or after e change. Each changed
 * segment yields a *group*: (instant b, position k, deltas {counter key: ±n} = new(b) - old(b)).
 * A non-back-dated event (e >= p's last breakpoint) yields one group at (e, k), computed from p's
 * current facet alone; a back-dated one reads p's stream (an indexed read: cost = its length) to
 * rebuild the segments from e on. Compliance steps are time-driven (basis + interval, basis +
 * inactiveAfter) and are diffed the same way, old step list against new.
 *
 * Then, telescoping over positions: counters(T, K) = Σ deltas of groups with b <= T and
 * k <= P(K), a 2-D dominance sum.
 *
 * Structures (columnar typed arrays, appended in position order):
 * - groups: instant (Float64), position (Int32), first delta, previous group of the same
 *   partnership, previous group of the same UTC day (linked lists, Int32): 24 bytes a group;
 * - deltas: counter key (Uint16), amount (Int16): 4 bytes a delta;
 * - frozen snapshots every `snapshotEveryDeltas` deltas (B): for all groups before it, the
 *   cumulative sums per counter key per UTC day (keys × days Int32, ~10 MB for 260 keys over 26
 *   years), with the position it covers.
 *
 * Query (T, P): the last snapshot s with position <= P gives, per key, the sum over its groups of
 * days < day(T), or <= day(T) when T is at or after every group instant on day(T) (the usual case:
 * business dates are midnights); otherwise day(T)'s groups are walked through their linked list.
 * The groups after s up to position P (at most B deltas, found by binary search) are scanned.
 * Cost: O(keys + log(#snapshots) + log(#groups) + B + groups on day(T)) — independent of the
 * history's length except through the logarithms (B and the key count are bounded constants).
 * Memory: ~24 B a group + 4 B a delta (an event yields ~1 group and ~4 deltas: ~40 B an event)
 * plus keys × days × 4 B per B deltas (~10 B an event at B = 1M), plus each partnership's compact
 * facet (see `compact-facet.ts`) and its report instants.
 *
 * Cluster (T, P, themes): the partnerships whose primary themes met the cluster at some (T, K)
 * (some group of theirs raised a cluster theme's `~p.` counter) are candidates; each one's groups (its linked list) are summed at (T, P), and its contribution
 * counts when its `~p.<theme>` counters meet the cluster. Cost: proportional to the candidates'
 * groups, like the current cluster query's scan of the cluster's facets.
 */

const COUNTED_EVENTS: ReadonlySet<PartnershipEventType> = new Set([
  'PartnershipRegistered',
  'PartnerJoined',
  'PartnerLeft',
  'LeadPartnerDesignated',
  'PartnershipAmended',
  'PartnershipEnded',
]);
const COMPLIANCE_EVENTS: ReadonlySet<PartnershipEventType> = new Set(['PartnershipRegistered', 'ReportFiled', 'PartnershipEnded']);
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
const PRIMARY = '~p.';
const COMPLIANCE = '~c.';

/** The stream of one partnership, in version order (an indexed read of the event store). */
export type StreamReader = (streamId: string) => Promise<RecordedEvent[]>;

interface PartnershipEntry {
  index: number;
  id: string;
  /** Facet under current knowledge at t = +∞ (null until registered). */
  facet: CompactFacet | null;
  /** Latest effective instant (ms) of the counted events applied: p's last breakpoint. */
  maxEffective: number;
  /** Compliance facts under current knowledge (null until registered). */
  compliance: ComplianceFacts | null;
  /** Last group of this partnership, -1 if none. */
  lastGroup: number;
}

interface Snapshot {
  /** Covers exactly the groups of positions <= position, i.e. groups [0, groupEnd). */
  position: number;
  groupEnd: number;
  keys: number;
  minDay: number;
  days: number;
  cumulative: Int32Array;
}

export interface AsOfIndexOptions {
  policy?: Partial<CompliancePolicy>;
  /** B: deltas between frozen snapshots (default 1,000,000). */
  snapshotEveryDeltas?: number;
}

/** Extended contribution: the trends counters plus the primary themes whatever the status. */
export function contributionWithThemes(facet: TrendFacet | null): Contribution {
  if (!facet) return {};
  const c = contribution(facet);
  for (const theme of new Set(facet.themes.primary)) c[`${PRIMARY}${theme}`] = 1;
  return c;
}

function addInto(target: Record<string, number>, source: Record<string, number>, sign: 1 | -1): void {
  for (const [key, n] of Object.entries(source)) target[key] = (target[key] ?? 0) + sign * n;
}

export class AsOfIndex {
  readonly policy: CompliancePolicy;
  private readonly snapshotEvery: number;
  private codec: FacetCodec;

  private readonly keyNames: string[] = [];
  private readonly keyIndex = new Map<string, number>();

  private groupCount = 0;
  private groupEffective = new Float64Array(1024);
  private groupPosition = new Int32Array(1024);
  private groupFirstDelta = new Int32Array(1025);
  private groupPrevOfPartnership = new Int32Array(1024);
  private groupPrevOfDay = new Int32Array(1024);
  private deltaCount = 0;
  private deltaKey = new Uint16Array(4096);
  private deltaAmount = new Int16Array(4096);

  private readonly dayLastGroup = new Map<number, number>();
  /** Latest group instant of each day (any position): at or after it, the whole day counts. */
  private readonly dayMaxEffective = new Map<number, number>();
  private readonly snapshots: Snapshot[] = [];

  private readonly partnerships = new Map<string, PartnershipEntry>();
  private readonly byIndex: PartnershipEntry[] = [];
  /** Partnerships whose primary themes included the theme at some (T, K) (cluster candidates). */
  private readonly primaryCandidates = new Map<string, Set<number>>();

  private applied = 0;

  constructor(options: AsOfIndexOptions = {}) {
    this.policy = { ...DEFAULT_COMPLIANCE_POLICY, ...options.policy };
    this.snapshotEvery = options.snapshotEveryDeltas ?? 1_000_000;
    this.codec = new FacetCodec();
    this.groupFirstDelta[0] = 0;
  }

  /** Last global position applied (events must arrive in position order, each once). */
  get appliedPosition(): number {
    return this.applied;
  }

  get stats(): { groups: number; deltas: number; snapshots: number; keys: number; partnerships: number } {
    return { groups: this.groupCount, deltas: this.deltaCount, snapshots: this.snapshots.length, keys: this.keyNames.length, partnerships: this.byIndex.length };
  }

  /**
   * Applies the next event of the log. `readStream` is called only for a back-dated counted event
   * (effective before the partnership's last breakpoint); it may return events past this one.
   */
  async apply(recorded: RecordedEvent, readStream: StreamReader): Promise<void> {
    if (recorded.globalPosition <= this.applied) return; // already applied (at-least-once delivery)
    const event = asPartnershipEvent(recorded);
    if (event) await this.applyPartnershipEvent(recorded, event, readStream);
    this.applied = recorded.globalPosition;
    const lastSnapshot = this.snapshots.at(-1);
    if (this.deltaCount - (lastSnapshot ? this.groupFirstDelta[lastSnapshot.groupEnd] : 0) >= this.snapshotEvery) this.freezeSnapshot();
  }

  private async applyPartnershipEvent(recorded: RecordedEvent, event: PartnershipEvent, readStream: StreamReader): Promise<void> {
    const id = event.data.partnershipId;
    const effective = instantMs(event.metadata.effectiveAt);
    let entry = this.partnerships.get(id);
    if (!entry) {
      if (event.type !== 'PartnershipRegistered') return; // nothing counts on an unregistered stream
      entry = { index: this.byIndex.length, id, facet: null, maxEffective: -Infinity, compliance: null, lastGroup: -1 };
      this.partnerships.set(id, entry);
      this.byIndex.push(entry);
    }
    const groups = new Map<number, Record<string, number>>();

    if (COUNTED_EVENTS.has(event.type)) {
      const before = entry.facet ? this.codec.decode(entry.facet) : null;
      const next = evolve(before ? stateOf(before) : initialState, event);
      const after = next.status === 'unknown' ? null : facetOf(next);
      if (effective >= entry.maxEffective) {
        // Not back-dated: the timeline changes from `effective` on, where it is the current facet.
        const diff: Record<string, number> = {};
        addInto(diff, contributionWithThemes(after), 1);
        addInto(diff, contributionWithThemes(before), -1);
        groups.set(effective, diff);
      } else {
        await this.backDatedGroups(recorded, event, effective, readStream, groups);
      }
      entry.facet = after ? this.codec.encode(after) : null;
      entry.maxEffective = Math.max(entry.maxEffective, effective);
    }

    if (COMPLIANCE_EVENTS.has(event.type)) {
      const old = entry.compliance;
      let next: ComplianceFacts | null = old;
      if (event.type === 'PartnershipRegistered') next = { registeredAt: effective, reports: [], endedAt: null };
      else if (old && event.type === 'ReportFiled') {
        next = { ...old, reports: [...old.reports, effective].sort((a, b) => a - b) };
      } else if (old && event.type === 'PartnershipEnded') next = { ...old, endedAt: effective };
      if (next !== old) {
        // The old and new facts agree before the basis in force at this event's instant.
        const from = old ? basisAt(old, effective) : -Infinity;
        complianceDeltas(old, this.policy, -1, groups, from);
        complianceDeltas(next, this.policy, 1, groups, from);
        entry.compliance = next;
      }
    }

    for (const instant of [...groups.keys()].sort((a, b) => a - b)) this.appendGroup(instant, recorded.globalPosition, entry, groups.get(instant)!);
  }

  /**
   * A back-dated counted event: for each breakpoint b >= e of the timeline known before it (the
   * effective instants of the stream's earlier counted events, and e), old(b) is the fold of the
   * earlier events effective at or before b (in position order, which the deciders make equal to
   * effective order) and new(b) = evolve(old(b), event).
   */
  private async backDatedGroups(
    recorded: RecordedEvent,
    event: PartnershipEvent,
    effective: number,
    readStream: StreamReader,
    groups: Map<number, Record<string, number>>,
  ): Promise<void> {
    const earlier = (await readStream(recorded.streamId))
      .filter((other) => other.globalPosition < recorded.globalPosition)
      .map((other) => ({ event: asPartnershipEvent(other), at: instantMs(other.metadata.effectiveAt) }))
      .filter((other): other is { event: PartnershipEvent; at: number } => other.event !== null && COUNTED_EVENTS.has(other.event.type));
    const breakpoints = [...new Set([effective, ...earlier.map(({ at }) => at).filter((at) => at >= effective)])].sort((a, b) => a - b);
    // D(b) = new(b) - old(b) on the segment from b; the group at b is D(b) - D(previous b), so
    // that the groups at or before T sum to D(T).
    let previous: Record<string, number> = {};
    for (const breakpoint of breakpoints) {
      let state: PartnershipState = initialState;
      for (const other of earlier) if (other.at <= breakpoint) state = evolve(state, other.event);
      const next = evolve(state, event);
      const difference: Record<string, number> = {};
      addInto(difference, contributionWithThemes(next.status === 'unknown' ? null : facetOf(next)), 1);
      addInto(difference, contributionWithThemes(state.status === 'unknown' ? null : facetOf(state)), -1);
      const group: Record<string, number> = {};
      addInto(group, difference, 1);
      addInto(group, previous, -1);
      groups.set(breakpoint, group);
      previous = difference;
    }
  }

  private candidateSet(theme: string): Set<number> {
    let set = this.primaryCandidates.get(theme);
    if (!set) this.primaryCandidates.set(theme, (set = new Set()));
    return set;
  }

  private key(name: string): number {
    let index = this.keyIndex.get(name);
    if (index === undefined) {
      index = this.keyNames.length;
      if (index > 0xffff) throw new RangeError('too many counter keys');
      this.keyNames.push(name);
      this.keyIndex.set(name, index);
    }
    return index;
  }

  private appendGroup(instant: number, position: number, entry: PartnershipEntry, deltas: Record<string, number>): void {
    const pairs: [number, number][] = [];
    for (const [name, n] of Object.entries(deltas)) {
      if (n === 0) continue;
      // A theme enters p's timeline only through a group raising its counter. Not the facet at +∞:
      // a back-dated correction can give p a theme for a while that a later-effective value replaces.
      if (n > 0 && name.startsWith(PRIMARY)) this.candidateSet(name.slice(PRIMARY.length)).add(entry.index);
      const key = this.key(name);
      // Int16 amounts: split a larger one (never seen in practice) into several deltas.
      for (let rest = n; rest !== 0; ) {
        const part = Math.max(-32768, Math.min(32767, rest));
        pairs.push([key, part]);
        rest -= part;
      }
    }
    if (pairs.length === 0) return;
    this.ensureGroupCapacity(this.groupCount + 1);
    this.ensureDeltaCapacity(this.deltaCount + pairs.length);
    const g = this.groupCount++;
    const day = dayOf(instant);
    this.groupEffective[g] = instant;
    this.groupPosition[g] = position;
    this.groupPrevOfPartnership[g] = entry.lastGroup;
    entry.lastGroup = g;
    this.groupPrevOfDay[g] = this.dayLastGroup.get(day) ?? -1;
    this.dayLastGroup.set(day, g);
    if (!(this.dayMaxEffective.get(day)! >= instant)) this.dayMaxEffective.set(day, instant);
    for (const [key, n] of pairs) {
      this.deltaKey[this.deltaCount] = key;
      this.deltaAmount[this.deltaCount] = n;
      this.deltaCount++;
    }
    this.groupFirstDelta[g + 1] = this.deltaCount;
  }

  private ensureGroupCapacity(n: number): void {
    if (n <= this.groupEffective.length) return;
    const size = Math.max(n, this.groupEffective.length * 2);
    this.groupEffective = grow(this.groupEffective, size);
    this.groupPosition = grow(this.groupPosition, size);
    this.groupFirstDelta = grow(this.groupFirstDelta, size + 1);
    this.groupPrevOfPartnership = grow(this.groupPrevOfPartnership, size);
    this.groupPrevOfDay = grow(this.groupPrevOfDay, size);
  }

  private ensureDeltaCapacity(n: number): void {
    if (n <= this.deltaKey.length) return;
    const size = Math.max(n, this.deltaKey.length * 2);
    this.deltaKey = grow(this.deltaKey, size);
    this.deltaAmount = grow(this.deltaAmount, size);
  }

  /** Freezes the cumulative sums of every group so far (called every B deltas). */
  freezeSnapshot(): void {
    const previous = this.snapshots.at(-1);
    const groupStart = previous?.groupEnd ?? 0;
    if (groupStart === this.groupCount && previous) {
      previous.position = this.applied;
      return;
    }
    let minDay = previous ? previous.minDay : Infinity;
    let maxDay = previous ? previous.minDay + previous.days - 1 : -Infinity;
    for (let g = groupStart; g < this.groupCount; g++) {
      const day = dayOf(this.groupEffective[g]);
      if (day < minDay) minDay = day;
      if (day > maxDay) maxDay = day;
    }
    if (!Number.isFinite(minDay)) return;
    const keys = this.keyNames.length;
    const days = maxDay - minDay + 1;
    const cumulative = new Int32Array(keys * days);
    for (let g = groupStart; g < this.groupCount; g++) {
      const d = dayOf(this.groupEffective[g]) - minDay;
      for (let i = this.groupFirstDelta[g]; i < this.groupFirstDelta[g + 1]; i++) cumulative[this.deltaKey[i] * days + d] += this.deltaAmount[i];
    }
    for (let key = 0; key < keys; key++) {
      let running = 0;
      const base = key * days;
      for (let d = 0; d < days; d++) {
        running += cumulative[base + d];
        cumulative[base + d] = running;
      }
      if (previous && key < previous.keys) {
        for (let d = 0; d < days; d++) cumulative[base + d] += snapshotValue(previous, key, minDay + d);
      }
    }
    this.snapshots.push({ position: this.applied, groupEnd: this.groupCount, keys, minDay, days, cumulative });
  }

  /** The counters (flat keys, zeros left out) at effective instant `asOf` over positions <= `position`. */
  counters(asOf: number, position: number): Record<string, number> {
    const sums = new Float64Array(this.keyNames.length);
    const day = dayOf(asOf);
    let groupStart = 0;
    const snapshot = this.snapshotAt(position);
    if (snapshot) {
      groupStart = snapshot.groupEnd;
      const wholeDay = !(asOf < (this.dayMaxEffective.get(day) ?? -Infinity));
      const column = wholeDay ? day : day - 1;
      for (let key = 0; key < snapshot.keys; key++) sums[key] += snapshotValue(snapshot, key, column);
      if (!wholeDay) {
        for (let g = this.dayLastGroup.get(day) ?? -1; g >= 0; g = this.groupPrevOfDay[g]) {
          if (g < snapshot.groupEnd && this.groupEffective[g] <= asOf) this.addGroup(g, sums);
        }
      }
    }
    const groupEnd = this.firstGroupAfter(position, groupStart);
    for (let g = groupStart; g < groupEnd; g++) if (this.groupEffective[g] <= asOf) this.addGroup(g, sums);
    const out: Record<string, number> = {};
    sums.forEach((n, key) => {
      if (n !== 0) out[this.keyNames[key]] = n;
    });
    return out;
  }

  /** `trendTables` of the counters at (asOf, position): what `GET /trends` returns. */
  trends(asOf: number, position: number): TrendTables {
    return tablesOf(this.counters(asOf, position));
  }

  /** Counts of green / yellow / red / closed at (asOf, position). */
  complianceCounts(asOf: number, position: number): Record<ComplianceStatus, number> {
    const counters = this.counters(asOf, position);
    const count = (status: ComplianceStatus) => counters[`${COMPLIANCE}${status}`] ?? 0;
    return { green: count('green'), yellow: count('yellow'), red: count('red'), closed: count('closed') };
  }

  /** `trendTablesFor` the partnerships whose primary themes at (asOf, position) meet the cluster. */
  clusterTrends(asOf: number, position: number, cluster: readonly string[]): TrendTables {
    const candidates = new Set<number>();
    for (const theme of cluster) for (const index of this.primaryCandidates.get(theme) ?? []) candidates.add(index);
    const clusterKeys = new Set(cluster.map((theme) => `${PRIMARY}${theme}`));
    const counters: Record<string, number> = {};
    for (const index of candidates) {
      const sums = new Map<number, number>();
      for (let g = this.byIndex[index].lastGroup; g >= 0; g = this.groupPrevOfPartnership[g]) {
        if (this.groupPosition[g] > position || this.groupEffective[g] > asOf) continue;
        for (let i = this.groupFirstDelta[g]; i < this.groupFirstDelta[g + 1]; i++) {
          sums.set(this.deltaKey[i], (sums.get(this.deltaKey[i]) ?? 0) + this.deltaAmount[i]);
        }
      }
      let meets = false;
      for (const [key, n] of sums) if (n > 0 && clusterKeys.has(this.keyNames[key])) meets = true;
      if (!meets) continue;
      for (const [key, n] of sums) {
        const name = this.keyNames[key];
        if (n !== 0 && !name.startsWith('~')) counters[name] = (counters[name] ?? 0) + n;
      }
    }
    return tablesOf(counters);
  }

  private addGroup(g: number, sums: Float64Array): void {
    for (let i = this.groupFirstDelta[g]; i < this.groupFirstDelta[g + 1]; i++) sums[this.deltaKey[i]] += this.deltaAmount[i];
  }

  private snapshotAt(position: number): Snapshot | undefined {
    let low = -1;
    let high = this.snapshots.length;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (this.snapshots[mid].position <= position) low = mid;
      else high = mid;
    }
    return low >= 0 ? this.snapshots[low] : undefined;
  }

  /** First group index >= from whose position exceeds `position` (groups are in position order). */
  private firstGroupAfter(position: number, from: number): number {
    let low = from - 1;
    let high = this.groupCount;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (this.groupPosition[mid] <= position) low = mid;
      else high = mid;
    }
    return high;
  }

  // --- persistence (see `AsOfIndex.restore`) ---

  /** Everything the index holds, as structured-cloneable data (for `v8.serialize`). */
  dump(): AsOfIndexDump {
    return {
      format: DUMP_FORMAT,
      policy: this.policy,
      snapshotEvery: this.snapshotEvery,
      applied: this.applied,
      keyNames: this.keyNames,
      orgIds: this.codec.orgIds,
      types: this.codec.types,
      groupEffective: this.groupEffective.subarray(0, this.groupCount),
      groupPosition: this.groupPosition.subarray(0, this.groupCount),
      groupFirstDelta: this.groupFirstDelta.subarray(0, this.groupCount + 1),
      groupPrevOfPartnership: this.groupPrevOfPartnership.subarray(0, this.groupCount),
      groupPrevOfDay: this.groupPrevOfDay.subarray(0, this.groupCount),
      deltaKey: this.deltaKey.subarray(0, this.deltaCount),
      deltaAmount: this.deltaAmount.subarray(0, this.deltaCount),
      dayLastGroup: [...this.dayLastGroup],
      dayMaxEffective: [...this.dayMaxEffective],
      snapshots: this.snapshots,
      partnerships: this.byIndex.map(({ id, facet, maxEffective, compliance, lastGroup }) => ({ id, facet, maxEffective, compliance, lastGroup })),
      primaryCandidates: [...this.primaryCandidates].map(([theme, set]) => [theme, Int32Array.from(set)]),
    };
  }

  /** An index from a `dump()`; null when the dump is of another format or policy (then rebuild). */
  static restore(dump: AsOfIndexDump, options: AsOfIndexOptions = {}): AsOfIndex | null {
    const index = new AsOfIndex(options);
    if (dump.format !== DUMP_FORMAT) return null;
    if (dump.policy.intervalMonths !== index.policy.intervalMonths || dump.policy.inactiveAfterMonths !== index.policy.inactiveAfterMonths) return null;
    const self = index as unknown as Record<string, unknown>;
    index.codec = new FacetCodec(dump.orgIds, dump.types);
    dump.keyNames.forEach((name) => index.key(name));
    index.groupCount = dump.groupEffective.length;
    index.deltaCount = dump.deltaKey.length;
    self.groupEffective = grow(dump.groupEffective, Math.max(1024, index.groupCount));
    self.groupPosition = grow(dump.groupPosition, Math.max(1024, index.groupCount));
    self.groupFirstDelta = grow(dump.groupFirstDelta, Math.max(1025, index.groupCount + 1));
    self.groupPrevOfPartnership = grow(dump.groupPrevOfPartnership, Math.max(1024, index.groupCount));
    self.groupPrevOfDay = grow(dump.groupPrevOfDay, Math.max(1024, index.groupCount));
    self.deltaKey = grow(dump.deltaKey, Math.max(4096, index.deltaCount));
    self.deltaAmount = grow(dump.deltaAmount, Math.max(4096, index.deltaCount));
    for (const [day, g] of dump.dayLastGroup) index.dayLastGroup.set(day, g);
    for (const [day, ms] of dump.dayMaxEffective) index.dayMaxEffective.set(day, ms);
    index.snapshots.push(...dump.snapshots);
    dump.partnerships.forEach((p, i) => {
      const entry: PartnershipEntry = { ...p, index: i };
      index.partnerships.set(p.id, entry);
      index.byIndex.push(entry);
    });
    for (const [theme, members] of dump.primaryCandidates) index.primaryCandidates.set(theme, new Set(members));
    index.applied = dump.applied;
    return index;
  }
}

// 2: cluster candidates from every theme a timeline held (files of 1 may miss some: rebuilt).
const DUMP_FORMAT = 'as-of-index/2';

export interface AsOfIndexDump {
  format: string;
  policy: CompliancePolicy;
  snapshotEvery: number;
  applied: number;
  keyNames: string[];
  orgIds: string[];
  types: string[];
  groupEffective: Float64Array;
  groupPosition: Int32Array;
  groupFirstDelta: Int32Array;
  groupPrevOfPartnership: Int32Array;
  groupPrevOfDay: Int32Array;
  deltaKey: Uint16Array;
  deltaAmount: Int16Array;
  dayLastGroup: [number, number][];
  dayMaxEffective: [number, number][];
  snapshots: Snapshot[];
  partnerships: { id: string; facet: CompactFacet | null; maxEffective: number; compliance: ComplianceFacts | null; lastGroup: number }[];
  primaryCandidates: [string, Int32Array][];
}

function snapshotValue(snapshot: Snapshot, key: number, day: number): number {
  if (day < snapshot.minDay) return 0;
  const d = Math.min(day - snapshot.minDay, snapshot.days - 1);
  return snapshot.cumulative[key * snapshot.days + d];
}

function grow<T extends Float64Array | Int32Array | Uint16Array | Int16Array>(array: T, size: number): T {
  if (array.length >= size) return array.slice() as T;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/** The tables from flat counters (the private `~` counters left out). */
function tablesOf(flat: Record<string, number>): TrendTables {
  const counters: Record<string, unknown> = {};
  const visible: Record<string, number> = {};
  for (const [key, n] of Object.entries(flat)) if (!key.startsWith('~') && n !== 0) visible[key] = n;
  addToCounters(counters, visible);
  return trendTables(counters);
}
