import { asPartnershipEvent, evolve, initialState, type PartnershipEvent, type PartnershipEventType, type PartnershipState } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import {
  contribution,
  COUNTED_EVENTS,
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
  /** Its `contributionWithThemes`, packed (see `pack`): kept so that an event computes only the new one. */
  contribution: Uint32Array;
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

/** Counter key (index) -> amount. */
type Deltas = Map<number, number>;
/** Instant -> the deltas there: the groups one event appends. */
type Groups = Map<number, Deltas>;

function deltasAt(groups: Groups, instant: number): Deltas {
  let deltas = groups.get(instant);
  if (!deltas) groups.set(instant, (deltas = new Map()));
  return deltas;
}

function addDelta(deltas: Deltas, key: number, n: number): void {
  deltas.set(key, (deltas.get(key) ?? 0) + n);
}

/** Adds `after - before` (packed contributions, see `pack`) into `deltas`: a merge touching only the counters that differ. */
function addDifference(deltas: Deltas, after: Uint32Array, before: Uint32Array): void {
  let i = 0;
  let j = 0;
  while (i < after.length || j < before.length) {
    const a = i < after.length ? after[i] : Infinity;
    const b = j < before.length ? before[j] : Infinity;
    if (a === b) {
      i++;
      j++;
    } else if (a >>> 16 === b >>> 16) {
      addDelta(deltas, a >>> 16, (a & 0xffff) - (b & 0xffff));
      i++;
      j++;
    } else if (a < b) {
      addDelta(deltas, a >>> 16, a & 0xffff);
      i++;
    } else {
      addDelta(deltas, b >>> 16, -(b & 0xffff));
      j++;
    }
  }
}

const NO_CONTRIBUTION: Uint32Array = new Uint32Array(0);

export class AsOfIndex {
  readonly policy: CompliancePolicy;
  private readonly snapshotEvery: number;
  private codec: FacetCodec;

  private readonly keyNames: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  /** The theme of each `~p.<theme>` key (undefined for the other keys). */
  private readonly keyPrimaryTheme: (string | undefined)[] = [];

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
  /**
   * The partnership of the last counted event, as `evolve` left it, and its facet, not yet encoded
   * into its entry: a stream's events often come in a run (a registration, then its partners
   * joining), and the next one evolves it without decoding or encoding the compact facet. (Its
   * uncounted fields differ from `stateOf`'s blanks; `evolve` never reads them to decide a counted one.)
   */
  private last: { entry: PartnershipEntry; state: PartnershipState; facet: TrendFacet | null } | null = null;

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
      entry = { index: this.byIndex.length, id, facet: null, contribution: NO_CONTRIBUTION, maxEffective: -Infinity, compliance: null, lastGroup: -1 };
      this.partnerships.set(id, entry);
      this.byIndex.push(entry);
    }
    const groups: Groups = new Map();

    if (COUNTED_EVENTS.has(event.type)) {
      if (this.last?.entry !== entry) this.settleLast();
      const before = this.last ? this.last.state : entry.facet ? stateOf(this.codec.decode(entry.facet)) : initialState;
      const next = evolve(before, event);
      const after = next.status === 'unknown' ? null : facetOf(next);
      const contribution = this.pack(after);
      if (effective >= entry.maxEffective) {
        // Not back-dated: the timeline changes from `effective` on, where it is the current facet.
        addDifference(deltasAt(groups, effective), contribution, entry.contribution);
      } else {
        await this.backDatedGroups(recorded, event, effective, readStream, groups);
      }
      this.last = { entry, state: next, facet: after }; // once nothing can fail: a retried event starts over
      entry.contribution = contribution;
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
        const add = (at: number, status: ComplianceStatus, n: number) => addDelta(deltasAt(groups, at), this.key(`${COMPLIANCE}${status}`), n);
        complianceDeltas(old, this.policy, -1, add, from);
        complianceDeltas(next, this.policy, 1, add, from);
        entry.compliance = next;
      }
    }

    for (const instant of [...groups.keys()].sort((a, b) => a - b)) this.appendGroup(instant, recorded.globalPosition, entry, groups.get(instant)!);
  }

  /**
   * A back-dated counted event: for each breakpoint b >= e of the timeline known before it (the
   * effective instants of the stream's earlier counted events, and e), old(b) is the fold of the
   * earlier events effective at or before b in (effectiveAt, position) order, carried on from one
   * breakpoint to the next, and new(b) = evolve(old(b), event).
   */
  private async backDatedGroups(
    recorded: RecordedEvent,
    event: PartnershipEvent,
    effective: number,
    readStream: StreamReader,
    groups: Groups,
  ): Promise<void> {
    const earlier = (await readStream(recorded.streamId))
      .filter((other) => other.globalPosition < recorded.globalPosition)
      .map((other) => ({ event: asPartnershipEvent(other), at: instantMs(other.metadata.effectiveAt) }))
      .filter((other): other is { event: PartnershipEvent; at: number } => other.event !== null && COUNTED_EVENTS.has(other.event.type))
      .sort((a, b) => a.at - b.at); // stable: position order within an instant
    const breakpoints = [...new Set([effective, ...earlier.map(({ at }) => at).filter((at) => at >= effective)])].sort((a, b) => a - b);
    // D(b) = new(b) - old(b) on the segment from b; the group at b is D(b) - D(previous b), so
    // that the groups at or before T sum to D(T).
    const packedOf = (state: PartnershipState) => this.pack(state.status === 'unknown' ? null : facetOf(state));
    let previous: { old: Uint32Array; new: Uint32Array } = { old: NO_CONTRIBUTION, new: NO_CONTRIBUTION };
    let state: PartnershipState = initialState;
    let folded = 0;
    for (const breakpoint of breakpoints) {
      while (folded < earlier.length && earlier[folded].at <= breakpoint) state = evolve(state, earlier[folded++].event);
      const current = { old: packedOf(state), new: packedOf(evolve(state, event)) };
      const deltas = deltasAt(groups, breakpoint);
      addDifference(deltas, current.new, current.old);
      addDifference(deltas, previous.old, previous.new);
      previous = current;
    }
  }

  /** Encodes the last partnership's facet into its entry (before another one, or a dump, reads entries). */
  private settleLast(): void {
    if (!this.last) return;
    this.last.entry.facet = this.last.facet ? this.codec.encode(this.last.facet) : null;
    this.last = null;
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
      this.keyPrimaryTheme.push(name.startsWith(PRIMARY) ? name.slice(PRIMARY.length) : undefined);
    }
    return index;
  }

  /**
   * `contributionWithThemes(facet)` as `key << 16 | n` codes (16 bits each, like the counter keys),
   * ascending: 4 bytes a counter rather than an object of string keys, diffed by a merge.
   */
  private pack(facet: TrendFacet | null): Uint32Array {
    const counters = contributionWithThemes(facet);
    const packed: number[] = [];
    for (const name in counters) {
      const n = counters[name];
      if (n > 0xffff) throw new RangeError(`${name}: one partnership counts ${n} times`);
      packed.push(this.key(name) * 0x10000 + n);
    }
    return Uint32Array.from(packed).sort();
  }

  private appendGroup(instant: number, position: number, entry: PartnershipEntry, deltas: Deltas): void {
    let count = 0;
    for (const n of deltas.values()) count += Math.ceil(Math.abs(n) / 32767);
    if (count === 0) return;
    this.ensureGroupCapacity(this.groupCount + 1);
    this.ensureDeltaCapacity(this.deltaCount + count);
    const g = this.groupCount++;
    const day = dayOf(instant);
    this.groupEffective[g] = instant;
    this.groupPosition[g] = position;
    this.groupPrevOfPartnership[g] = entry.lastGroup;
    entry.lastGroup = g;
    this.groupPrevOfDay[g] = this.dayLastGroup.get(day) ?? -1;
    this.dayLastGroup.set(day, g);
    if (!(this.dayMaxEffective.get(day)! >= instant)) this.dayMaxEffective.set(day, instant);
    for (const [key, n] of deltas) {
      // A theme enters p's timeline only through a group raising its counter. Not the facet at +∞:
      // a back-dated correction can give p a theme for a while that a later-effective value replaces.
      const theme = this.keyPrimaryTheme[key];
      if (n > 0 && theme !== undefined) this.candidateSet(theme).add(entry.index);
      // Int16 amounts: split a larger one (never seen in practice) into several deltas.
      for (let rest = n; rest !== 0; ) {
        const part = Math.max(-32767, Math.min(32767, rest));
        this.deltaKey[this.deltaCount] = key;
        this.deltaAmount[this.deltaCount] = part;
        this.deltaCount++;
        rest -= part;
      }
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

  /**
   * Everything the index holds, as structured-cloneable data (for `v8.serialize`), as it stands
   * now: events applied later do not change it, so it can be written out a frame at a time while
   * the index goes on. The typed arrays are only ever appended to (a view of their first `count`
   * entries stays as it is, a grown array being a new one), an entry's fields are replaced, not
   * changed in place, and what is changed in place (the lists, a snapshot's position) is copied.
   */
  dump(): AsOfIndexDump {
    this.settleLast();
    return {
      format: DUMP_FORMAT,
      policy: this.policy,
      snapshotEvery: this.snapshotEvery,
      applied: this.applied,
      keyNames: this.keyNames.slice(),
      orgIds: this.codec.orgIds.slice(),
      types: this.codec.types.slice(),
      groupEffective: this.groupEffective.subarray(0, this.groupCount),
      groupPosition: this.groupPosition.subarray(0, this.groupCount),
      groupFirstDelta: this.groupFirstDelta.subarray(0, this.groupCount + 1),
      groupPrevOfPartnership: this.groupPrevOfPartnership.subarray(0, this.groupCount),
      groupPrevOfDay: this.groupPrevOfDay.subarray(0, this.groupCount),
      deltaKey: this.deltaKey.subarray(0, this.deltaCount),
      deltaAmount: this.deltaAmount.subarray(0, this.deltaCount),
      dayLastGroup: [...this.dayLastGroup],
      dayMaxEffective: [...this.dayMaxEffective],
      snapshots: this.snapshots.map((snapshot) => ({ ...snapshot })),
      partnerships: this.byIndex.map(({ id, facet, contribution, maxEffective, compliance, lastGroup }) => ({ id, facet, contribution, maxEffective, compliance, lastGroup })),
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

/** Changed with what a dump holds: an index file of another format is rebuilt from the log. */
const DUMP_FORMAT = 'as-of-index/3';

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
  partnerships: { id: string; facet: CompactFacet | null; contribution: Uint32Array; maxEffective: number; compliance: ComplianceFacts | null; lastGroup: number }[];
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
