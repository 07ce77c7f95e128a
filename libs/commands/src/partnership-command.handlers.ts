import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PartnershipDetails } from '@registry/domain';
import type { CommandOutcome } from './command-context';
import type { AmendPartnershipDto, NewPartnerDto, ResourcesDto } from './dto';
import { PartnershipCommandExecutor } from './partnership-command-executor';
import {
  AmendPartnershipCommand,
  DesignateLeadCommand,
  EndPartnershipCommand,
  FileReportCommand,
  JoinPartnerCommand,
  LeavePartnerCommand,
  MergePartnershipCommand,
  RegisterPartnershipCommand,
} from './partnership.commands';

@CommandHandler(RegisterPartnershipCommand)
export class RegisterPartnershipHandler implements ICommandHandler<RegisterPartnershipCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: RegisterPartnershipCommand) {
    const data = {
      partnershipId,
      name: input.name!,
      description: input.description ?? '',
      themes: { primary: input.themes!.primary, secondary: input.themes!.secondary ?? [] },
      scope: input.scope!,
      regions: input.regions ?? [],
      countries: input.countries ?? [],
      startDate: input.startDate!,
      endDate: input.endDate ?? null,
      resources: input.resources ? toResources(input.resources) : null,
      mechanisms: input.mechanisms ?? [],
      partners: input.partners.map(toNewPartner),
    };
    return this.executor.execute({ type: 'RegisterPartnership', data }, input, context);
  }
}

@CommandHandler(JoinPartnerCommand)
export class JoinPartnerHandler implements ICommandHandler<JoinPartnerCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: JoinPartnerCommand) {
    return this.executor.execute({ type: 'JoinPartner', data: { partnershipId, partner: toNewPartner(input) } }, input, context);
  }
}

@CommandHandler(LeavePartnerCommand)
export class LeavePartnerHandler implements ICommandHandler<LeavePartnerCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: LeavePartnerCommand) {
    const data = { partnershipId, orgId: input.orgId, ...(input.designateLead && { designateLead: input.designateLead }) };
    return this.executor.execute({ type: 'LeavePartner', data }, input, context);
  }
}

@CommandHandler(DesignateLeadCommand)
export class DesignateLeadHandler implements ICommandHandler<DesignateLeadCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: DesignateLeadCommand) {
    return this.executor.execute({ type: 'DesignateLead', data: { partnershipId, orgId: input.orgId } }, input, context);
  }
}

@CommandHandler(FileReportCommand)
export class FileReportHandler implements ICommandHandler<FileReportCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: FileReportCommand) {
    const data = {
      partnershipId,
      reportId: input.reportId ?? randomUUID(),
      period: { from: input.period.from, to: input.period.to },
      summary: input.summary,
      activities: input.activities,
    };
    return this.executor.execute({ type: 'FileReport', data }, input, context);
  }
}

@CommandHandler(AmendPartnershipCommand)
export class AmendPartnershipHandler implements ICommandHandler<AmendPartnershipCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: AmendPartnershipCommand) {
    return this.executor.execute({ type: 'AmendPartnership', data: { partnershipId, changes: toChanges(input) } }, input, context);
  }
}

@CommandHandler(MergePartnershipCommand)
export class MergePartnershipHandler implements ICommandHandler<MergePartnershipCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: MergePartnershipCommand) {
    return this.executor.merge({ type: 'MergePartnership', data: { partnershipId, into: input.into } }, input, context);
  }
}

@CommandHandler(EndPartnershipCommand)
export class EndPartnershipHandler implements ICommandHandler<EndPartnershipCommand, CommandOutcome> {
  constructor(private readonly executor: PartnershipCommandExecutor) {}

  execute({ partnershipId, input, context }: EndPartnershipCommand) {
    return this.executor.execute({ type: 'EndPartnership', data: { partnershipId, reason: input.reason } }, input, context);
  }
}

export const PARTNERSHIP_COMMAND_HANDLERS = [
  RegisterPartnershipHandler,
  JoinPartnerHandler,
  LeavePartnerHandler,
  DesignateLeadHandler,
  FileReportHandler,
  AmendPartnershipHandler,
  MergePartnershipHandler,
  EndPartnershipHandler,
];

function toNewPartner(input: NewPartnerDto) {
  return {
    orgId: input.orgId,
    name: input.name,
    type: input.type,
    ...(input.country && { country: input.country }),
    lead: input.lead ?? false,
  };
}

function toResources(input: ResourcesDto) {
  return {
    financialSecured: input.financialSecured,
    inKind: input.inKind,
    seekingFunding: input.seekingFunding,
    ...(input.seekingAmount && { seekingAmount: { amount: input.seekingAmount.amount, currency: input.seekingAmount.currency } }),
    fundingSources: input.fundingSources,
  };
}

/** Only the attributes the body names; `null` clears endDate or resources. */
function toChanges(input: AmendPartnershipDto): Partial<PartnershipDetails> {
  const changes: Partial<PartnershipDetails> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  if (input.themes !== undefined) changes.themes = { primary: input.themes.primary, secondary: input.themes.secondary ?? [] };
  if (input.scope !== undefined) changes.scope = input.scope;
  if (input.regions !== undefined) changes.regions = input.regions;
  if (input.countries !== undefined) changes.countries = input.countries;
  if (input.startDate !== undefined) changes.startDate = input.startDate;
  if (input.endDate !== undefined) changes.endDate = input.endDate;
  if (input.resources !== undefined) changes.resources = input.resources === null ? null : toResources(input.resources);
  if (input.mechanisms !== undefined) changes.mechanisms = input.mechanisms;
  return changes;
}
