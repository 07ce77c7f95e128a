/**
 * The registry's controlled vocabularies, exactly as `shared/domain.md` § Codes spells them.
 * Commands, queries and read models use these slugs and nothing else.
 */
export const SCOPES = ['global', 'regional', 'subregional', 'national', 'local'] as const;
export type Scope = (typeof SCOPES)[number];

export const REGIONS = [
  'africa',
  'asia-pacific',
  'latin-america-caribbean',
  'europe-north-america',
  'western-asia',
] as const;
export type Region = (typeof REGIONS)[number];

export const MAJOR_GROUPS = [
  'women',
  'children-youth',
  'indigenous-peoples',
  'ngo',
  'local-authorities',
  'workers-trade-unions',
  'business-industry',
  'science-technology',
  'farmers',
] as const;
export type MajorGroup = (typeof MAJOR_GROUPS)[number];

export const PARTNER_TYPES = ['government', ...MAJOR_GROUPS, 'un-system', 'igo', 'other'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export function isMajorGroup(type: PartnerType): type is MajorGroup {
  return (MAJOR_GROUPS as readonly string[]).includes(type);
}

export const MECHANISMS = [
  'education-awareness',
  'training',
  'technology-transfer',
  'institutional-capacity',
] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export const IN_KIND_RESOURCES = ['office', 'staff', 'computers', 'other'] as const;
export type InKindResource = (typeof IN_KIND_RESOURCES)[number];

/** 000 ¶24: governments, IGOs, private sector, foundations, NGOs, other. */
export const FUNDING_SOURCES = ['government', 'igo', 'private-sector', 'foundation', 'ngo', 'other'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

export const REPORT_ACTIVITIES = [
  'partnership-building',
  'capacity-building',
  'information-sharing',
  'publications',
  'technical-cooperation',
] as const;
export type ReportActivity = (typeof REPORT_ACTIVITIES)[number];

export const END_REASONS = ['completed', 'dissolved', 'inactive', 'merged'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Default CSD taxonomy. Themes are reference data; a deployment may use the 17 SDGs instead. */
export const THEMES = [
  'means-of-implementation',
  'natural-resources',
  'institutional-framework',
  'poverty-eradication',
  'water',
  'education',
  'consumption-production',
  'health',
  'agriculture',
  'climate-change',
  'drought',
  'chemicals',
  'mountains',
  'mining',
  'biotechnology',
  'transport',
  'waste-management',
  'energy',
  'forests',
  'oceans',
  'sids',
  'tourism',
  'biodiversity',
  'desertification',
  'land',
  'rural-development',
  'trade',
  'finance',
  'technology',
  'gender',
  'atmosphere',
  'sanitation',
  'human-settlements',
  'science',
  'information',
  'capacity-building',
  'africa',
] as const;
export type Theme = (typeof THEMES)[number];

export const CSD_18_19_CLUSTER = [
  'transport',
  'chemicals',
  'mining',
  'waste-management',
  'consumption-production',
] as const satisfies readonly Theme[];

export const ROLES = ['secretariat', 'focal-point', 'auditor', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
