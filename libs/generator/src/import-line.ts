import type { Organisation, PartnershipDetails, ProgressReport, Resources } from '@registry/domain';

/** A line of an import file (`registry import`): the HTTP body plus the ids of its path, in `data`. */
interface LineOf<Command extends string, Data> {
  command: Command;
  data: Data;
  /** `YYYY-MM-DD`. */
  effectiveDate: string;
  rationale?: string;
}

/** A partner as the registration and join bodies give it; `lead` only when true, to keep lines short. */
export type PartnerData = Organisation & { lead?: true };

export type RegistrationData = { id: string } & Omit<PartnershipDetails, 'endDate' | 'resources'> & {
    endDate?: string;
    resources?: Resources;
    partners: PartnerData[];
  };

export type AmendmentData = { partnershipId: string } & Partial<PartnershipDetails>;

export type ImportLine =
  | LineOf<'RegisterPartnership', RegistrationData>
  | LineOf<'JoinPartner', { partnershipId: string } & PartnerData>
  | LineOf<'LeavePartner', { partnershipId: string; orgId: string; designateLead?: string }>
  | LineOf<'DesignateLead', { partnershipId: string; orgId: string }>
  | LineOf<'FileReport', { partnershipId: string } & ProgressReport>
  | LineOf<'AmendPartnership', AmendmentData>
  | LineOf<'MergePartnership', { partnershipId: string; into: string }>
  | LineOf<'EndPartnership', { partnershipId: string; reason: 'completed' | 'dissolved' | 'inactive' }>;

export type ImportCommandName = ImportLine['command'];
