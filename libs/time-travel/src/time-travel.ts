import type { EventStore } from '@registry/event-store';
import type { ProjectorRuntime } from '@registry/projector';
import type { CompliancePolicy, ComplianceStatus, PartnershipDocument, TrendTables } from '@registry/projections';
import type { AsOf } from './as-of';

/** A partnership as it stood at an `AsOf` point: the `partnerships` read model's shape without its internal fields. */
export type PartnershipAsOfView = Omit<PartnershipDocument, '_state' | 'searchText' | 'lastPosition'>;

/** The filters of `GET /partnerships`, evaluated on the as-of state (not on today's). */
export interface PartnershipAsOfFilter {
  status?: 'active' | 'ended';
  /** Primary or secondary. */
  theme?: string;
  primaryTheme?: string;
  scope?: string;
  region?: string;
  country?: string;
  /** Organisation id of a partner at that point. */
  partner?: string;
  /** Words in name, description and partner names (all must occur). */
  q?: string;
}

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
}

/**
 * The as-of engines behind one facade (see README, "Time travel"). `start()` builds or loads the
 * index and follows the log; every answer is for an `AsOf` point (`knownAt: null` = everything
 * recorded so far, read-your-writes through `appliedPosition` / `waitForPosition`).
 */
export class TimeTravel {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ProjectorRuntime,
    private readonly options: TimeTravelOptions = {},
  ) {}

  /** Loads or builds the index, then follows the log. Resolves once caught up with the head at start. */
  async start(): Promise<void> {
    throw new Error('TODO');
  }

  /** Stops following the log (and persists the index when `snapshotFile` is set). */
  async stop(): Promise<void> {
    throw new Error('TODO');
  }

  /** Global position of the last event the index has applied. */
  get appliedPosition(): number {
    throw new Error('TODO');
  }

  /** Resolves true once `appliedPosition >= position`, false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    throw new Error('TODO');
  }

  /** P(K): the last global position recorded at or before `knownAt` (null: the applied head). */
  positionAt(knownAt: string | null): Promise<number> {
    throw new Error('TODO');
  }

  /** `GET /trends?asOf=&knownAt=[&cluster=]`: exactly what `trendTables` / `trendTablesFor` return for that point. */
  trends(point: AsOf, cluster?: readonly string[]): Promise<TrendTables> {
    throw new Error('TODO');
  }

  /** `GET /partnerships/:id?asOf=`; null when it was not registered (or not known) at that point. */
  partnership(id: string, point: AsOf): Promise<PartnershipAsOfView | null> {
    throw new Error('TODO');
  }

  /** `GET /partnerships?asOf=`: ordered by `_id`, cursor-paged. */
  partnerships(point: AsOf, filter: PartnershipAsOfFilter, page: AsOfPageRequest): Promise<AsOfPage<PartnershipAsOfView>> {
    throw new Error('TODO');
  }

  /** `GET /reporting/compliance?asOf=` counts: statuses evaluated at `asOf` on what was known at `knownAt`. */
  complianceCounts(point: AsOf): Promise<ComplianceCounts> {
    throw new Error('TODO');
  }
}
