import { createHash, randomUUID } from 'node:crypto';
import type { ClassConstructor } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional } from 'class-validator';
import {
  AmendPartnershipCommand,
  AmendPartnershipDto,
  DesignateLeadCommand,
  DesignateLeadDto,
  EndPartnershipCommand,
  EndPartnershipDto,
  FileReportCommand,
  FileReportDto,
  ID_PATTERN,
  ID_RULE_TEXT,
  JoinPartnerCommand,
  JoinPartnerDto,
  LeavePartnerCommand,
  LeavePartnerDto,
  MergePartnershipCommand,
  MergePartnershipDto,
  RegisterPartnershipCommand,
  RegisterPartnershipDto,
  validateInput,
  type CommandContext,
  type CommandInputDto,
} from '@registry/commands';
import { canonicalJson, InvalidInput, type ErrorDetail } from '@registry/shared-kernel';

/** What the HTTP endpoint takes from its path; in an import line it sits in `data`. */
type PathParam = 'partnershipId' | 'orgId';

/** One importable command: its endpoint's body DTO and the bus message the controller sends. */
interface LineCommand<Input extends CommandInputDto> {
  dto: ClassConstructor<Input>;
  pathParams: readonly PathParam[];
  message(partnershipId: string, input: Input, context: CommandContext, path: Record<PathParam, string>): object;
  /** The registration's id is in its body; generated when absent, as the controller does. */
  idFromBody?(input: Input): string;
  /** Partnerships the line must be ordered with; default: the addressed one. */
  partnerships?(partnershipId: string, input: Input): string[];
}

function lineCommand<Input extends CommandInputDto>(
  dto: ClassConstructor<Input>,
  pathParams: readonly PathParam[],
  message: LineCommand<Input>['message'],
  extra: Pick<LineCommand<Input>, 'idFromBody' | 'partnerships'> = {},
): LineCommand<Input> {
  return { dto, pathParams, message, ...extra };
}

const LINE_COMMANDS = {
  RegisterPartnership: lineCommand(RegisterPartnershipDto, [], (id, input, context) => new RegisterPartnershipCommand(id, input, context), {
    idFromBody: (input) => input.id ?? randomUUID(),
  }),
  JoinPartner: lineCommand(JoinPartnerDto, ['partnershipId'], (id, input, context) => new JoinPartnerCommand(id, input, context)),
  LeavePartner: lineCommand(
    LeavePartnerDto,
    ['partnershipId', 'orgId'],
    (id, input, context, { orgId }) => new LeavePartnerCommand(id, Object.assign(input, { orgId }), context),
  ),
  DesignateLead: lineCommand(DesignateLeadDto, ['partnershipId'], (id, input, context) => new DesignateLeadCommand(id, input, context)),
  FileReport: lineCommand(FileReportDto, ['partnershipId'], (id, input, context) => new FileReportCommand(id, input, context)),
  AmendPartnership: lineCommand(AmendPartnershipDto, ['partnershipId'], (id, input, context) => new AmendPartnershipCommand(id, input, context)),
  // A merge writes both streams, so it waits for the earlier lines of both.
  MergePartnership: lineCommand(MergePartnershipDto, ['partnershipId'], (id, input, context) => new MergePartnershipCommand(id, input, context), {
    partnerships: (id, input) => [id, input.into],
  }),
  EndPartnership: lineCommand(EndPartnershipDto, ['partnershipId'], (id, input, context) => new EndPartnershipCommand(id, input, context)),
};

type CommandName = keyof typeof LINE_COMMANDS;
export const IMPORT_COMMANDS = Object.keys(LINE_COMMANDS) as CommandName[];

/** The envelope of a line; `data` is checked against the command's own DTO afterwards. */
class ImportLineDto {
  @IsIn(IMPORT_COMMANDS, { message: `command must be one of ${IMPORT_COMMANDS.join(', ')}` })
  command: CommandName;

  @IsObject({ message: 'data must be an object: the body of the HTTP request plus the ids of its path' })
  data: Record<string, unknown>;

  // Its format is the DTO's rule; an import replays history, so it must say when things happened.
  @IsDefined({ message: 'effectiveDate is required in an import line: the date the change took effect' })
  effectiveDate: unknown;

  @IsOptional()
  rationale?: unknown;
}

/** A valid line, ready to go on the command bus once it has its context. */
export interface PlannedLine {
  /** Partnerships whose earlier lines must be applied before this one. */
  partnerships: string[];
  /** SHA-256 of the line's canonical JSON, kept with its idempotency key. */
  requestHash: string;
  message(context: CommandContext): object;
}

/**
 * Validates one line exactly as the HTTP layer validates a request (same DTO, same
 * `validateInput`, same id rule as the path pipe) and builds the same bus message. Throws
 * `InvalidInput` naming every bad field.
 */
export function planLine(text: string): PlannedLine {
  const parsed = parseJson(text);
  const line = validateInput(ImportLineDto, parsed);
  const spec = LINE_COMMANDS[line.command] as LineCommand<CommandInputDto>;
  const { data } = line;

  const details: ErrorDetail[] = [];
  const path = {} as Record<PathParam, string>;
  for (const param of spec.pathParams) {
    const value = data[param];
    if (typeof value === 'string' && ID_PATTERN.test(value)) path[param] = value;
    else details.push({ field: param, rule: value === undefined ? 'required' : 'id-format', message: `${param} must be ${ID_RULE_TEXT}` });
  }
  for (const field of ['effectiveDate', 'rationale']) {
    if (field in data) details.push({ field: `data.${field}`, rule: 'top-level-only', message: `${field} belongs beside data, not in it` });
  }
  const body = Object.fromEntries(Object.entries(data).filter(([key]) => !(spec.pathParams as string[]).includes(key)));
  let input: CommandInputDto | undefined;
  try {
    input = validateInput(spec.dto, { ...body, effectiveDate: line.effectiveDate, ...(line.rationale !== undefined && { rationale: line.rationale }) });
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    details.push(...error.details);
  }
  if (details.length > 0 || !input) throw new InvalidInput(details.map((d) => d.message ?? `${d.field} ${d.rule}`).join('; '), details);

  const validInput = input;
  const partnershipId = path.partnershipId ?? spec.idFromBody!(validInput);
  return {
    partnerships: spec.partnerships?.(partnershipId, validInput) ?? [partnershipId],
    requestHash: createHash('sha256').update(canonicalJson(parsed)).digest('hex'),
    message: (context) => spec.message(partnershipId, validInput, context, path),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = `malformed JSON: ${(error as Error).message}`;
    throw new InvalidInput(message, [{ field: '', rule: 'json', message }]);
  }
}
