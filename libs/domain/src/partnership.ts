import type {
  EndReason,
  FundingSource,
  InKindResource,
  Mechanism,
  PartnerType,
  Region,
  ReportActivity,
  Scope,
  Theme,
} from '@registry/shared-kernel';

/** Calendar date `YYYY-MM-DD`. */
export type CalendarDate = string;
/** UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export type Instant = string;

export interface Themes {
  primary: Theme[];
  secondary: Theme[];
}

export interface Resources {
  financialSecured: boolean;
  inKind: InKindResource[];
  seekingFunding: boolean;
  /** Only meaningful when seekingFunding; amount in whole currency units. */
  seekingAmount?: { amount: number; currency: string };
  fundingSources: FundingSource[];
}

/** The descriptive attributes of a partnership; every one can be amended later. */
export interface PartnershipDetails {
  name: string;
  description: string;
  themes: Themes;
  scope: Scope;
  regions: Region[];
  /** ISO 3166-1 alpha-2. */
  countries: string[];
  startDate: CalendarDate;
  /** Absent or null: open-ended. */
  endDate: CalendarDate | null;
  /** Absent: the partnership gave no information on resources (000 ¶23: 87 % did). */
  resources: Resources | null;
  mechanisms: Mechanism[];
}

export interface Organisation {
  /** Stable slug of the organisation, shared across partnerships (7,877 listings, 000 ¶22). */
  orgId: string;
  name: string;
  type: PartnerType;
  /** ISO 3166-1 alpha-2, when the organisation has one seat. */
  country?: string;
}

export interface Partner extends Organisation {
  lead: boolean;
}

export interface ReportPeriod {
  from: CalendarDate;
  to: CalendarDate;
}

export interface ProgressReport {
  reportId: string;
  period: ReportPeriod;
  summary: string;
  activities: ReportActivity[];
}

export type { EndReason };
