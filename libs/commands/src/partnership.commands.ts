import type { CommandContext } from './command-context';
import type {
  AmendPartnershipDto,
  DesignateLeadDto,
  EndPartnershipDto,
  FileReportDto,
  JoinPartnerDto,
  LeavePartnerDto,
  MergePartnershipDto,
  RegisterPartnershipDto,
} from './dto';

/**
 * The messages of the command bus: validated input, the partnership it addresses, and the
 * context (who, expected version, idempotency). One class per command so each has its handler.
 */
abstract class PartnershipCommandMessage<Input> {
  constructor(
    readonly partnershipId: string,
    readonly input: Input,
    readonly context: CommandContext,
  ) {}
}

export class RegisterPartnershipCommand extends PartnershipCommandMessage<RegisterPartnershipDto> {}
export class JoinPartnerCommand extends PartnershipCommandMessage<JoinPartnerDto> {}
export class LeavePartnerCommand extends PartnershipCommandMessage<LeavePartnerDto & { orgId: string }> {}
export class DesignateLeadCommand extends PartnershipCommandMessage<DesignateLeadDto> {}
export class FileReportCommand extends PartnershipCommandMessage<FileReportDto> {}
export class AmendPartnershipCommand extends PartnershipCommandMessage<AmendPartnershipDto> {}
export class MergePartnershipCommand extends PartnershipCommandMessage<MergePartnershipDto> {}
export class EndPartnershipCommand extends PartnershipCommandMessage<EndPartnershipDto> {}
