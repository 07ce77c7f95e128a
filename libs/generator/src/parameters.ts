import type { InKindResource, MajorGroup, Mechanism, Region, Scope, Theme } from '@registry/shared-kernel';

/*
 * The shape of a generated registry, after the CSD-18 report (shared/domain.md, "Figures of the
 * 2010 report"). Probabilities at registration are set a little below some targets where the
 * partnership's later life (joins, merges) adds to them; tests check the outcome.
 */

/** Fixed, so that output is reproducible: never "now". */
export const DEFAULT_UNTIL = '2026-06-30';

/**
 * Registrations per period, relative: before 2010-02-01 the 348 of the report (209 at the Summit,
 * then 55 and 40 in 2003-2004, ~10 a year 2005-2008, 4 in 2009), then a trickle of 6 a year.
 */
export const REGISTRATION_PERIODS: readonly { from: string; to: string; weight: number }[] = [
  { from: '2002-08-26', to: '2002-09-04', weight: 209 },
  { from: '2003-01-01', to: '2003-12-31', weight: 55 },
  { from: '2004-01-01', to: '2004-12-31', weight: 40 },
  { from: '2005-01-01', to: '2005-12-31', weight: 10 },
  { from: '2006-01-01', to: '2006-12-31', weight: 10 },
  { from: '2007-01-01', to: '2007-12-31', weight: 10 },
  { from: '2008-01-01', to: '2008-12-31', weight: 10 },
  { from: '2009-01-01', to: '2009-12-31', weight: 4 },
  { from: '2010-02-01', to: '2025-12-31', weight: 6 * 15.9 },
];

/** 52/20/23/5/5 as published (they add up to 105): normalised by the draw. */
export const SCOPES: Readonly<Record<Scope, number>> = { global: 52, regional: 20, subregional: 23, national: 5, local: 5 };

export const REGIONS: Readonly<Record<Region, number>> = {
  africa: 41,
  'asia-pacific': 39,
  'latin-america-caribbean': 9,
  'europe-north-america': 7,
  'western-asia': 4,
};
/** A regional partnership sometimes spans two regions. */
export const SECOND_REGION = 0.1;

export const END_DATE = 0.61;
/** Many registered an initiative already running ("added value", 000 ¶16): it started earlier. */
export const STARTED_BEFORE_REGISTRATION = 0.3;

export const PRIMARY_THEME_COUNT: Readonly<Record<number, number>> = { 1: 50, 2: 35, 3: 15 };
export const SECONDARY_THEME_COUNT: Readonly<Record<number, number>> = { 0: 15, 1: 25, 2: 30, 3: 20, 4: 10 };

/**
 * Primary themes. The CSD-18/19 cluster is set so that about 13 % have SCP, 5.5 % waste, 3.7 %
 * transport, 1.7 % mining and 1.4 % chemicals as a primary theme (000 ¶36-45: 74 of 348).
 */
export const PRIMARY_THEMES: Readonly<Record<Theme, number>> = {
  'means-of-implementation': 6,
  'natural-resources': 6,
  'institutional-framework': 4,
  'poverty-eradication': 5,
  water: 6,
  education: 5,
  'consumption-production': 8.3,
  health: 4,
  agriculture: 4,
  'climate-change': 4,
  drought: 1,
  chemicals: 1.05,
  mountains: 1.5,
  mining: 1.2,
  biotechnology: 0.8,
  transport: 2.1,
  'waste-management': 3,
  energy: 5,
  forests: 2.5,
  oceans: 3,
  sids: 3,
  tourism: 1.5,
  biodiversity: 3.5,
  desertification: 1.5,
  land: 1,
  'rural-development': 2,
  trade: 1.5,
  finance: 1.5,
  technology: 2.5,
  gender: 1.5,
  atmosphere: 1,
  sanitation: 2,
  'human-settlements': 2,
  science: 2,
  information: 2.5,
  'capacity-building': 5,
  africa: 2,
};

/** A cluster partnership often names a second cluster theme as primary (88 mentions in 74 partnerships). */
export const SECOND_CLUSTER_PRIMARY = 0.35;

/** Secondary themes: the cluster is cross-cutting, so about half name it somewhere (170 of 348). */
export const SECONDARY_THEMES: Readonly<Record<Theme, number>> = {
  ...PRIMARY_THEMES,
  'consumption-production': 10,
  'waste-management': 4,
  chemicals: 3,
  transport: 2.5,
  mining: 1.5,
};

/** Partners at registration: mostly 2-10, some 11-30, a few 31+. */
export const PARTNER_COUNT: readonly { min: number; max: number; weight: number }[] = [
  { min: 2, max: 4, weight: 40 },
  { min: 5, max: 10, weight: 37 },
  { min: 11, max: 20, weight: 10 },
  { min: 21, max: 30, weight: 7 },
  { min: 31, max: 120, weight: 6 },
];

/** Broad partner categories; a partnership's categories are drawn first, then its partners. */
export type PartnerCategory = 'government' | 'major-group' | 'un-system' | 'igo' | 'other';

/** Chance that a partnership has at least one partner of the category (targets 83/83/62/61/44 %). */
export const CATEGORY_PRESENT: Readonly<Record<PartnerCategory, number>> = {
  government: 0.81,
  'major-group': 0.71,
  'un-system': 0.62,
  igo: 0.6,
  other: 0.41,
};

/** Further partners among the categories present: listings ~44 % major groups, ~27 % governments. */
export const CATEGORY_LISTINGS: Readonly<Record<PartnerCategory, number>> = {
  government: 20,
  'major-group': 48,
  'un-system': 7,
  igo: 6,
  other: 5,
};

/** Chance that a partnership with major groups has the group (NGOs 30 %, business 38 %, science 18 %, local authorities 9 % of all). */
export const MAJOR_GROUP_PRESENT: Readonly<Record<MajorGroup, number>> = {
  'business-industry': 0.4,
  ngo: 0.3,
  'science-technology': 0.18,
  'local-authorities': 0.08,
  women: 0.04,
  'children-youth': 0.04,
  'indigenous-peoples': 0.03,
  'workers-trade-unions': 0.03,
  farmers: 0.04,
};

export const LEAD_COUNT: Readonly<Record<number, number>> = { 1: 64, 2: 27, 3: 9 };
/** Leads are more often governments and agencies than civil society. */
export const LEAD_WEIGHT: Readonly<Record<PartnerCategory, number>> = {
  government: 3,
  'major-group': 1,
  'un-system': 3,
  igo: 3,
  other: 1,
};

/** 87 % gave information; of all: financial secured 46 %, in kind 38 %, seeking funding 49 %. */
export const RESOURCES_GIVEN = 0.85;
export const FINANCIAL_SECURED = 0.46 / 0.87;
export const IN_KIND = 0.38 / 0.87;
export const SEEKING_FUNDING = 0.49 / 0.87;
export const SEEKING_AMOUNT = 0.5;
export const IN_KIND_RESOURCES: readonly InKindResource[] = ['office', 'staff', 'computers', 'other'];

export const MECHANISMS: Readonly<Record<Mechanism, number>> = {
  'education-awareness': 0.8,
  training: 0.69,
  'technology-transfer': 0.49,
  'institutional-capacity': 0.47,
};

/*
 * Life after registration. Each partnership draws a temperament per process; intervals are means
 * in years (varied ±80 %). Set so that a registry of N partnerships holds about 25·N events.
 */
export const JOIN_INTERVAL: Readonly<Record<string, number>> = { growing: 2.5, steady: 4.5, closed: 0 };
export const JOIN_TEMPERAMENT: Readonly<Record<string, number>> = { growing: 25, steady: 45, closed: 30 };
export const JOIN_AS_LEAD = 0.05;
export const LEAVE_INTERVAL = 6;
export const LEAVES = 0.6;
export const LEAD_INTERVAL = 8;
export const DESIGNATES_LEADS = 0.3;
export const AMEND_INTERVAL = 5;
export const AMENDS = 0.7;
/** An amendment recorded late, effective earlier (after the previous amendment). */
export const AMENDMENT_BACK_DATED = 0.3;
/** An amendment that corrects the previous one, effective on the same date. */
export const AMENDMENT_CORRECTION = 0.12;

/** Reporting habits: CSD asked for reports twice a year, 001 ¶23 every two years; many never did. */
export type ReportingHabit = 'regular' | 'sporadic' | 'never';
export const REPORTING: Readonly<Record<ReportingHabit, number>> = { regular: 32, sporadic: 35, never: 33 };
export const REGULAR_INTERVAL_DAYS: readonly number[] = [365, 730];
export const SPORADIC_INTERVAL = 3.5;

/** How a partnership ends, if it does before `until`. */
export const MERGED = 0.03;
export const DISSOLVED = 0.06;
/** Fixed-term partnerships that close on (a little after) their end date. */
export const COMPLETED_AT_END_DATE = 0.55;
/** Non-reporters the secretariat ends as inactive, and sporadic ones. */
export const INACTIVE_IF_NEVER_REPORTS = 0.45;
export const INACTIVE_IF_SPORADIC = 0.12;
