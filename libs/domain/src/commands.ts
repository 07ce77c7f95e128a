import type { EndReason } from '@registry/shared-kernel';
import type { Instant, Organisation, PartnershipDetails, ProgressReport } from './partnership';

/**
 * Commands in the style of Emmett: `{ type, data, metadata }`. `metadata.now` is the server clock
 * (so deciders stay pure) and `metadata.effectiveAt` the business instant the command asks for
 * (already defaulted to `now` when the caller gave none).
 */
export interface CommandOf<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: { now: Instant; effectiveAt: Instant };
}

export interface NewPartner extends Organisation {
  lead: boolean;
}

export type RegisterPartnership = CommandOf<
  'RegisterPartnership',
  { partnershipId: string; partners: NewPartner[] } & PartnershipDetails
>;

export type JoinPartner = CommandOf<'JoinPartner', { partnershipId: string; partner: NewPartner }>;

/** `designateLead` names a remaining partner who becomes lead in the same command. */
export type LeavePartner = CommandOf<
  'LeavePartner',
  { partnershipId: string; orgId: string; designateLead?: string }
>;

export type DesignateLead = CommandOf<'DesignateLead', { partnershipId: string; orgId: string }>;

export type FileReport = CommandOf<'FileReport', { partnershipId: string } & ProgressReport>;

export type AmendPartnership = CommandOf<
  'AmendPartnership',
  { partnershipId: string; changes: Partial<PartnershipDetails> }
>;

export type MergePartnership = CommandOf<'MergePartnership', { partnershipId: string; into: string }>;

export type EndPartnership = CommandOf<
  'EndPartnership',
  { partnershipId: string; reason: Exclude<EndReason, 'merged'> }
>;

/** Commands that touch exactly one stream: the one named by `data.partnershipId`. */
export type SingleStreamCommand =
  | RegisterPartnership
  | JoinPartner
  | LeavePartner
  | DesignateLead
  | FileReport
  | AmendPartnership
  | EndPartnership;

export type PartnershipCommand = SingleStreamCommand | MergePartnership;
export type PartnershipCommandType = PartnershipCommand['type'];
