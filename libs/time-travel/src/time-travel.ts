import { setImmediate } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@registry/event-store';
import { PositionWaiters, type Projection, type ProjectorRuntime } from '@registry/projector';
import {
  complianceProjection,
  ORGANISATIONS,
  organisationsProjection,
  PARTNERSHIPS,
  type CompliancePolicy,
  type ComplianceStatus,
  type OrganisationDocument,
  type PartnershipDocument,
  type PartnershipListFilter,
  type TrendTables,
} from '@registry/projections';
import { InvalidInput } from '@registry/shared-kernel';
import type { Subscription } from 'rxjs';
import type { AsOf } from './as-of';
import { AsOfIndex } from './as-of-index';
import { complianceItemAsOf, type ComplianceAsOfItem } from './compliance-as-of';
import { foldEventsAsOf } from './fold-as-of';
import { readIndexSnapshot, writeIndexSnapshot } from './index-snapshot-file';
import { matcher, partnershipDocumentAsOf, viewOf } from './partnership-as-of';
import { instantMs, positionRecordedBy } from './semantics';

/** The named fields of a document type (a plain `Omit` over an index signature keeps none of them). */
export type NamedFields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** A partnership as it stood at an `AsOf` point: the `partnerships` read model's shape without its internal fields. */
export type PartnershipAsOfView = Omit<NamedFields<PartnershipDocument>, '_fold' | 'searchText' | 'lastPosition'>;

/** The filters of `GET /partnerships`, evaluated on the as-of state (not on today's). */
export type PartnershipAsOfFilter = PartnershipListFilter;

export interface AsOfPageRequest {
  /** 1-200, default 50. */
  limit?: number;
  /** The `nextCursor` of the previous page (opaque). */
  cursor?: string;
}

export interface AsOfPage<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
  /** Matches over all pages when known (computed only when the scan reached the end), else null. */
  total: number | null;
}

export type ComplianceCounts = Record<ComplianceStatus, number>;

export interface TimeTravelOptions {
  /** The reporting policy for `complianceCounts` (defaults as the compliance projection). */
  policy?: Partial<CompliancePolicy>;
  /**
   * File where the trends/compliance as-of index is persisted (written atomically on `stop()`
   * and periodically), so a restart does not replay the whole log. Absent: rebuilt from the log.
   */
  snapshotFile?: string;
  /** B of the index: deltas between frozen snapshots (default 1,000,000). */
  snapshotEveryDeltas?: number;
  /** Events read per catch-up batch (default 5,000). */
  batchSize?: number;
  /** Persist the index after this many events applied since the last save (default 250,000). */
  saveEveryEvents?: number;
}

/**
 * Longest run of applying events without yielding to the event loop. The event store's reads are
 * synchronous underneath, so without yields a build or a burst would hold HTTP requests (and
 * `stop()`) until it ends.
 */
const SLICE_MS = 20;

/**
 * The as-of engines behind one facade (see README, "Time travel"). `start()` loads the index from
 * `snapshotFile` (or builds it from the log), catches up with the log, then follows it; every
 * answer is for an `AsOf` point (`knownAt: null` = everything the index has applied; a client
 * reads its own writes by waiting for `appliedPosition >= minPosition` with `waitForPosition`).
 *
 * - trends and compliance counts: the in-memory `AsOfIndex` (cost bounds in `as-of-index.ts`);
 * - one partnership: its stream from the event store, folded by the partnerships projection;
 * - one partnership's compliance: the same, folded by the compliance projection;
 * - lists (partnerships, compliance): the current `partnerships` read model in `_id` order as the
 *   candidate list (every partnership ever recorded is there: nothing is deleted), each candidate
 *   folded at the point until the page is full. Its cost grows with the candidates scanned (all of them for a filter
 *   that matches little), not with the log.
 *
 * Crash safety: the index is derived only from events up to `appliedPosition`, and the snapshot
 * file (written to a temporary file, then renamed) holds that position; after a crash the index
 * resumes from the file's position, so nothing is lost or counted twice.
 */
export class TimeTravel {
  private index: AsOfIndex;
  private subscription: Subscription | null = null;
  private readonly queue: RecordedEvent[] = [];
  private draining: Promise<void> | null = null;
  private failure: Error | null = null;
  private readonly waiters = new PositionWaiters();
  private savedAt = 0;
  /** The save under way, if any: at most one at a time. */
  private saving: Promise<void> | null = null;
  private stopped = false;
  private catchingUp: Promise<void> | null = null;
  /** Position the index was loaded at from `snapshotFile` at the last start (0: built from the log). */
  loadedPosition = 0;
  private readonly complianceProjection: Projection;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ProjectorRuntime,
    private readonly options: TimeTravelOptions = {},
  ) {
    this.index = this.newIndex();
    this.complianceProjection = complianceProjection(options.policy);
  }

  /**
   * Loads or builds the index, then follows the log. Resolves once caught up with the head at start
   * (or at once when `stop()` interrupts the catch-up).
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.queue.length = 0; // what a stop left unapplied: read again from the index's position
    this.index = this.load() ?? this.newIndex();
    this.savedAt = this.index.appliedPosition;
    this.loadedPosition = this.index.appliedPosition;
    this.catchingUp = this.catchUp();
    try {
      await this.catchingUp;
    } finally {
      this.catchingUp = null;
    }
    if (this.stopped) return;
    this.subscription = this.eventStore.subscribe(this.index.appliedPosition + 1).subscribe({
      next: (event) => {
        this.queue.push(event);
        this.drain();
      },
      error: (error: unknown) => {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.notify();
      },
    });
  }

  /**
   * Stops following the log, or building the index at start-up, within a slice (and persists the
   * index, as far as it got, when `snapshotFile` is set).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.subscription = null;
    await this.catchingUp?.catch(() => undefined); // its failure is `start()`'s to report
    await this.draining;
    await this.saving;
    await this.save();
    this.notify();
  }

  /** Global position of the last event the index has applied. */
  get appliedPosition(): number {
    return this.index.appliedPosition;
  }

  /** The error that stopped the index following the log, if any. */
  get error(): Error | null {
    return this.failure;
  }

  /** Resolves true once `appliedPosition >= position`, false after `timeoutMs` (or at once if following failed). */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(
      () => this.index.appliedPosition >= position,
      () => this.failure !== null || this.stopped,
      timeoutMs,
    );
  }


  /** P(K): the last global position recorded at or before `knownAt` (null: the applied head). O(log head) reads. */
  async positionAt(knownAt: string | null): Promise<number> {
    const head = this.index.appliedPosition;
    if (knownAt === null) return head;
    return positionRecordedBy(knownAt, head, async (position) => (await this.eventStore.readAll(position, 1))[0]?.metadata.recordedAt ?? null);
  }

  /** `GET /trends?asOf=&knownAt=[&cluster=]`: exactly what `trendTables` / `trendTablesFor` return for that point. */
  async trends(point: AsOf, cluster?: readonly string[]): Promise<TrendTables> {
    const position = await this.positionAt(point.knownAt);
    const asOf = instantMs(point.asOf);
    return cluster && cluster.length > 0 ? this.index.clusterTrends(asOf, position, cluster) : this.index.trends(asOf, position);
  }

  /** `GET /partnerships/:id?asOf=`; null when it was not registered (or not known) at that point. */
  async partnership(id: string, point: AsOf): Promise<PartnershipAsOfView | null> {
    const document = await partnershipDocumentAsOf(await this.eventStore.readStream(id), point);
    return document && viewOf(document);
  }

  /**
   * `GET /organisations/:id?asOf=`: the organisations read model's document at the point, folded
   * by its projection from the qualifying events of every partnership the organisation was ever
   * in (today's document names them all: no event is ever removed), so its memberships, their
   * dates and its name are those of (T, K). Null when it was in none then.
   */
  async organisation(orgId: string, partnershipIds: readonly string[], point: AsOf): Promise<OrganisationDocument | null> {
    const streams = await Promise.all(partnershipIds.map((id) => this.eventStore.readStream(id)));
    const events = streams.flat().sort((a, b) => a.globalPosition - b.globalPosition);
    return foldEventsAsOf<OrganisationDocument>(organisationsProjection, ORGANISATIONS, orgId, events, point);
  }

  /** `GET /partnerships?asOf=`: ordered by `_id`, cursor-paged. */
  partnerships(point: AsOf, filter: PartnershipAsOfFilter, page: AsOfPageRequest): Promise<AsOfPage<PartnershipAsOfView>> {
    const matches = matcher(filter);
    return this.scan(page, async (id) => {
      const document = await partnershipDocumentAsOf(await this.eventStore.readStream(id), point);
      return document && matches(document) ? viewOf(document) : null;
    });
  }

  /** `GET /reporting/compliance?asOf=` list: each partnership's compliance at the point, its status evaluated at `asOf`; ordered by `_id`. */
  compliance(point: AsOf, status: ComplianceStatus | undefined, page: AsOfPageRequest): Promise<AsOfPage<ComplianceAsOfItem>> {
    return this.scan(page, async (id) => {
      const item = await complianceItemAsOf(this.complianceProjection, await this.eventStore.readStream(id), point);
      return item && (status === undefined || item.status === status) ? item : null;
    });
  }

  /** `GET /reporting/compliance?asOf=` counts: statuses evaluated at `asOf` on what was known at `knownAt`. */
  async complianceCounts(point: AsOf): Promise<ComplianceCounts> {
    const position = await this.positionAt(point.knownAt);
    return this.index.complianceCounts(instantMs(point.asOf), position);
  }

  private readonly readStream = (streamId: string) => this.eventStore.readStream(streamId);

  /**
   * A page of an as-of list: the current `partnerships` read model in `_id` order as the
   * candidates (every partnership ever recorded is there: nothing is deleted), each turned into
   * its item at the point (null: not in the list then) until the page is full.
   */
  private async scan<T extends { _id: string }>(page: AsOfPageRequest, itemOf: (id: string) => Promise<T | null>): Promise<AsOfPage<T>> {
    const limit = page.limit ?? 50;
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
    const candidates = this.readModels.collection<PartnershipDocument>(PARTNERSHIPS);
    const items: T[] = [];
    let last: string | null = after;
    let more = false;
    let matched = 0;
    scan: for (;;) {
      const chunk = await candidates
        .find<{ _id: string }>((last === null ? {} : { _id: { $gt: last } }) as never, { sort: { _id: 1 }, limit: 256, projection: { _id: 1 } })
        .toArray();
      if (chunk.length === 0) break;
      for (const { _id } of chunk) {
        last = _id;
        const item = await itemOf(_id);
        if (!item) continue;
        matched++;
        if (items.length === limit) {
          more = true;
          break scan;
        }
        items.push(item);
      }
    }
    const lastItem = items[items.length - 1];
    return {
      items,
      nextCursor: more && lastItem ? encodeCursor(lastItem._id) : null,
      total: after === null && !more ? matched : null,
    };
  }

  private newIndex(): AsOfIndex {
    return new AsOfIndex({ policy: this.options.policy, snapshotEveryDeltas: this.options.snapshotEveryDeltas });
  }

  /** Applies the log from the index's position to the head, batch by batch, in slices. */
  private async catchUp(): Promise<void> {
    const batchSize = this.options.batchSize ?? 5000;
    const slice = new Slice();
    while (!this.stopped) {
      const batch = await this.eventStore.readAll(this.index.appliedPosition + 1, batchSize);
      if (batch.length === 0) return;
      for (const event of batch) {
        await this.index.apply(event, this.readStream);
        if (slice.over()) {
          this.notify();
          await slice.yield();
          if (this.stopped) return;
        }
      }
      this.notify();
      this.maybeSave();
    }
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      const slice = new Slice();
      try {
        while (this.queue.length > 0 && !this.failure && !this.stopped) {
          const event = this.queue.shift()!;
          await this.index.apply(event, this.readStream);
          if (this.queue.length === 0 || this.queue.length % 1000 === 0) this.notify();
          if (slice.over()) await slice.yield();
        }
        this.maybeSave();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      } finally {
        this.draining = null;
        this.notify();
      }
    })();
  }

  private notify(): void {
    this.waiters.notify();
  }

  private load(): AsOfIndex | null {
    const file = this.options.snapshotFile;
    const dump = file ? readIndexSnapshot(file) : null;
    return dump && AsOfIndex.restore(dump, { policy: this.options.policy, snapshotEveryDeltas: this.options.snapshotEveryDeltas });
  }

  /** Starts a save in the background once enough was applied since the last; a failed one is logged, and the next one tries again. */
  private maybeSave(): void {
    if (this.saving || this.index.appliedPosition - this.savedAt < (this.options.saveEveryEvents ?? 250_000)) return;
    this.saving = this.save()
      .catch((error: Error) => new Logger('TimeTravel').warn(`the as-of index could not be saved (${error.message}): a restart would rebuild more of it from the log`))
      .finally(() => (this.saving = null));
  }

  /**
   * Writes the index as it stands now (see `AsOfIndex.dump`) with the position it covers; the
   * writing itself is asynchronous, so events go on being applied meanwhile.
   */
  private async save(): Promise<void> {
    const file = this.options.snapshotFile;
    const position = this.index.appliedPosition;
    if (!file || position === this.savedAt) return;
    await writeIndexSnapshot(file, this.index.dump());
    this.savedAt = Math.max(this.savedAt, position);
  }
}

/** Tells when `SLICE_MS` have passed since the last yield to the event loop, and yields. */
class Slice {
  private startedAt = performance.now();

  over(): boolean {
    return performance.now() - this.startedAt >= SLICE_MS;
  }

  async yield(): Promise<void> {
    await setImmediate();
    this.startedAt = performance.now();
  }
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify(['_id', id])).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const [kind, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (kind !== '_id' || typeof id !== 'string') throw new Error('not an as-of cursor');
    return id as string;
  } catch {
    throw new InvalidInput('cursor is not one this API returned', [{ field: 'cursor', rule: 'issued-cursor' }]);
  }
}
