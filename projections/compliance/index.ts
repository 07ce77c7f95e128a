import type { EndReason, Instant } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocument, ProjectionDocuments } from '@registry/projector';
import { asPartnershipEvent } from '@registry/domain';

export const COMPLIANCE = 'compliance';

/**
 * The reporting policy. Defaults follow the SDG platform (domain.md: yellow one year after
 * registration without a report, red after two); CSD or the mercury partnership would use others.
 */
export interface CompliancePolicy {
  /** A report is due this many months after the basis (registration or last report). */
  intervalMonths: number;
  /** Without a report this many months after the basis, the partnership counts as inactive. */
  inactiveAfterMonths: number;
}

export const DEFAULT_COMPLIANCE_POLICY: CompliancePolicy = { intervalMonths: 12, inactiveAfterMonths: 24 };

/**
 * Collection `compliance`, one document per partnership (`_id` = partnershipId). Instants are
 * normalised ISO strings (`YYYY-MM-DDTHH:mm:ss.sssZ`), so they compare as strings in a store filter.
 * The status is not stored: it depends on "now" (see `complianceStatus`, `complianceStatusFilter`).
 */
export interface ComplianceDocument extends ProjectionDocument {
  name: string;
  registeredAt: Instant;
  /** Latest effective instant of a progress report (a late filing may be back-dated), or null. */
  lastReportAt: Instant | null;
  reports: number;
  /** The later of registration and last report. */
  basis: Instant;
  /** basis + intervalMonths. */
  dueAt: Instant;
  /** basis + inactiveAfterMonths. */
  inactiveAt: Instant;
  /** True once the partnership has ended (whatever the reason): no report is due any more. */
  closed: boolean;
  endedAt: Instant | null;
  endReason: EndReason | null;
  /** When the current name took effect (an amendment may be back-dated). */
  nameEffectiveAt: Instant;
}

export type ComplianceStatus = 'green' | 'yellow' | 'red' | 'closed';
export const COMPLIANCE_STATUSES: readonly ComplianceStatus[] = ['green', 'yellow', 'red', 'closed'];

/** green before dueAt, yellow from dueAt, red from inactiveAt, closed once ended. Pure. */
export function complianceStatus(doc: Pick<ComplianceDocument, 'closed' | 'dueAt' | 'inactiveAt'>, now: Date | string): ComplianceStatus {
  if (doc.closed) return 'closed';
  const at = instantOf(now);
  if (at >= Date.parse(doc.inactiveAt)) return 'red';
  if (at >= Date.parse(doc.dueAt)) return 'yellow';
  return 'green';
}

/**
 * A MongoDB filter on the `compliance` collection selecting the documents with `status` at
 * `now`, so the query API filters and counts in the store. Agrees with `complianceStatus`.
 */
export function complianceStatusFilter(status: ComplianceStatus, now: Date | string): Record<string, unknown> {
  const at = new Date(instantOf(now)).toISOString();
  switch (status) {
    case 'closed':
      return { closed: true };
    case 'red':
      return { closed: false, inactiveAt: { $lte: at } };
    case 'yellow':
      return { closed: false, dueAt: { $lte: at }, inactiveAt: { $gt: at } };
    case 'green':
      return { closed: false, dueAt: { $gt: at } };
  }
}

/**
 * `months` calendar months after `instant`, in UTC, the day clamped to the end of a shorter
 * month (31 January + 1 month = 28/29 February); the time of day is kept.
 */
export function addMonths(instant: Instant, months: number): Instant {
  return new Date(addMonthsMs(Date.parse(instant), months)).toISOString();
}

/** `addMonths` on milliseconds since the epoch (for callers that count in them). */
export function addMonthsMs(ms: number, months: number): number {
  const date = new Date(ms);
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return date.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
}

/** Bump when the documents' shape or meaning changes; the policy is folded into `version`. */
const SHAPE_VERSION = 1;

/**
 * Compliance (reporting) of each partnership under a policy. Its `version` is derived from the
 * shape version and the policy (`shape * 1e6 + intervalMonths * 1e3 + inactiveAfterMonths`), so
 * changing the policy makes the runtime rebuild the projection.
 */
export function complianceProjection(policy: Partial<CompliancePolicy> = {}): Projection & { policy: CompliancePolicy } {
  const { intervalMonths, inactiveAfterMonths } = { ...DEFAULT_COMPLIANCE_POLICY, ...policy };
  for (const [name, value] of Object.entries({ intervalMonths, inactiveAfterMonths })) {
    if (!Number.isInteger(value) || value < 1 || value > 999) throw new RangeError(`${name} must be a whole number of months from 1 to 999, not ${value}`);
  }
  if (inactiveAfterMonths < intervalMonths) {
    throw new RangeError(`inactiveAfterMonths (${inactiveAfterMonths}) must not be less than intervalMonths (${intervalMonths})`);
  }

  const schedule = (doc: ComplianceDocument): ComplianceDocument => {
    const basis = doc.lastReportAt !== null && Date.parse(doc.lastReportAt) > Date.parse(doc.registeredAt) ? doc.lastReportAt : doc.registeredAt;
    return { ...doc, basis, dueAt: addMonths(basis, intervalMonths), inactiveAt: addMonths(basis, inactiveAfterMonths) };
  };

  return {
    name: 'compliance',
    version: SHAPE_VERSION * 1_000_000 + intervalMonths * 1_000 + inactiveAfterMonths,
    policy: { intervalMonths, inactiveAfterMonths },
    collections: [
      {
        name: COMPLIANCE,
        indexes: [
          { keys: { closed: 1, dueAt: 1 }, name: 'closed_dueAt' },
          { keys: { closed: 1, inactiveAt: 1 }, name: 'closed_inactiveAt' },
        ],
      },
    ],

    async apply(recorded: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
      const event = asPartnershipEvent(recorded);
      if (!event) return;
      const at = event.metadata.effectiveAt;
      const id = event.data.partnershipId;

      if (event.type === 'PartnershipRegistered') {
        const registeredAt = normalise(at);
        documents.put(
          COMPLIANCE,
          schedule({
            _id: id,
            name: event.data.name,
            registeredAt,
            lastReportAt: null,
            reports: 0,
            basis: registeredAt,
            dueAt: registeredAt,
            inactiveAt: registeredAt,
            closed: false,
            endedAt: null,
            endReason: null,
            nameEffectiveAt: registeredAt,
          }),
        );
        return;
      }
      if (event.type !== 'ReportFiled' && event.type !== 'PartnershipEnded' && event.type !== 'PartnershipAmended') return;
      const doc = await documents.get<ComplianceDocument>(COMPLIANCE, id);
      if (!doc) return;

      switch (event.type) {
        case 'ReportFiled': {
          const reportAt = normalise(at);
          const lastReportAt = doc.lastReportAt === null || Date.parse(reportAt) > Date.parse(doc.lastReportAt) ? reportAt : doc.lastReportAt;
          documents.put(COMPLIANCE, schedule({ ...doc, lastReportAt, reports: doc.reports + 1 }));
          return;
        }
        case 'PartnershipAmended': {
          const { name } = event.data.changes;
          // The domain's rule: a back-dated correction does not override a later-effective value.
          if (name === undefined || Date.parse(at) < Date.parse(doc.nameEffectiveAt)) return;
          documents.put(COMPLIANCE, { ...doc, name, nameEffectiveAt: normalise(at) });
          return;
        }
        case 'PartnershipEnded':
          documents.put(COMPLIANCE, { ...doc, closed: true, endedAt: normalise(at), endReason: event.data.reason });
          return;
      }
    },
  };
}

export const DEFAULT_COMPLIANCE_PROJECTION = complianceProjection();

function instantOf(now: Date | string): number {
  const at = typeof now === 'string' ? Date.parse(now) : now.getTime();
  if (Number.isNaN(at)) throw new RangeError(`not an instant: ${String(now)}`);
  return at;
}

const normalise = (instant: Instant): Instant => new Date(instant).toISOString();
