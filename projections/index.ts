import type { Projection } from '@registry/projector';
import { complianceProjection, type CompliancePolicy } from './compliance';
import { organisationsProjection } from './organisations';
import { partnershipsProjection } from './partnerships';
import { timelinesProjection } from './timelines';
import { trendsProjection } from './trends';

export * from './audit';
export * from './compliance';
export * from './organisations';
export * from './partnerships';
export * from './timelines';
export * from './trends';

/** Every read model the registry keeps, with the configured reporting policy. */
export function allProjections(policy: Partial<CompliancePolicy> = {}): Projection[] {
  return [partnershipsProjection, timelinesProjection, trendsProjection, complianceProjection(policy), organisationsProjection];
}
