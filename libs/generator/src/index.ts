export { FIRST_REGISTRATION, generateHistory, MAX_SEED, partnershipId, type GenerateOptions } from './history';
export {
  expectedFigures,
  PARTNER_BUCKETS,
  type ExpectedFigures,
  type PartnershipSummary,
  type PartnerSummary,
  type Trends,
} from './expected-figures';
export type { ImportLine, ImportCommandName } from './import-line';
export { DEFAULT_UNTIL } from './parameters';
