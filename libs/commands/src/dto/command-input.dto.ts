import { IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  FUNDING_SOURCES,
  IN_KIND_RESOURCES,
  MECHANISMS,
  PARTNER_TYPES,
  REGIONS,
  REPORT_ACTIVITIES,
  SCOPES,
  THEMES,
  type FundingSource,
  type InKindResource,
  type Mechanism,
  type PartnerType,
  type Region,
  type ReportActivity,
  type Scope,
  type Theme,
} from '@registry/shared-kernel';
import { ID_PATTERN, ID_RULE_TEXT, IsCalendarDate, IsCountryCode, IsEffectiveDate } from './validators';

const MAX_LIST = 500;
const each = { each: true };

/** What every command may say besides its own data: when it takes effect and why. */
export class CommandInputDto {
  /** Business date of the change (`YYYY-MM-DD` or date-time); default: now. */
  @IsOptional() @IsEffectiveDate()
  effectiveDate?: string;

  /** Why the change is made; kept as the event's `reason` for auditors. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000)
  rationale?: string;
}

export class OrganisationDto {
  @Matches(ID_PATTERN, { message: `orgId must be ${ID_RULE_TEXT}` })
  orgId: string;

  @IsString() @IsNotEmpty() @MaxLength(300)
  name: string;

  @IsIn(PARTNER_TYPES)
  type: PartnerType;

  @IsOptional() @IsCountryCode()
  country?: string;
}

export class NewPartnerDto extends OrganisationDto {
  @IsOptional() @IsBoolean()
  lead?: boolean;
}

export class ThemesDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(THEMES.length) @ArrayUnique() @IsIn(THEMES, each)
  primary: Theme[];

  @IsOptional() @IsArray() @ArrayMaxSize(THEMES.length) @ArrayUnique() @IsIn(THEMES, each)
  secondary?: Theme[];
}

export class SeekingAmountDto {
  @IsInt() @IsPositive()
  amount: number;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency: string;
}

export class ResourcesDto {
  @IsBoolean()
  financialSecured: boolean;

  @IsArray() @ArrayUnique() @IsIn(IN_KIND_RESOURCES, each)
  inKind: InKindResource[];

  @IsBoolean()
  seekingFunding: boolean;

  @IsOptional() @ValidateNested() @Type(() => SeekingAmountDto)
  seekingAmount?: SeekingAmountDto;

  @IsArray() @ArrayUnique() @IsIn(FUNDING_SOURCES, each)
  fundingSources: FundingSource[];
}

/**
 * The descriptive attributes. A registration must give name, themes, scope and start date; an
 * amendment (PATCH) may give any subset. One factory keeps the two shapes from drifting apart.
 */
function partnershipDetailsFields(mode: 'register' | 'amend') {
  // Applied only to the four attributes a registration cannot do without.
  const optionalWhenAmending: PropertyDecorator = mode === 'amend' ? IsOptional() : () => undefined;

  class PartnershipDetailsDto extends CommandInputDto {
    @optionalWhenAmending @IsString() @IsNotEmpty() @MaxLength(500)
    name?: string;

    @IsOptional() @IsString() @MaxLength(20000)
    description?: string;

    @optionalWhenAmending @ValidateNested() @Type(() => ThemesDto)
    themes?: ThemesDto;

    @optionalWhenAmending @IsIn(SCOPES)
    scope?: Scope;

    @IsOptional() @IsArray() @ArrayUnique() @IsIn(REGIONS, each)
    regions?: Region[];

    @IsOptional() @IsArray() @ArrayMaxSize(MAX_LIST) @ArrayUnique() @IsCountryCode(each)
    countries?: string[];

    @optionalWhenAmending @IsCalendarDate()
    startDate?: string;

    /** null: open-ended. */
    @ValidateIf((dto: PartnershipDetailsDto) => dto.endDate !== null && dto.endDate !== undefined) @IsCalendarDate()
    endDate?: string | null;

    /** null: no information on resources. */
    @ValidateIf((dto: PartnershipDetailsDto) => dto.resources !== null && dto.resources !== undefined)
    @ValidateNested() @Type(() => ResourcesDto)
    resources?: ResourcesDto | null;

    @IsOptional() @IsArray() @ArrayUnique() @IsIn(MECHANISMS, each)
    mechanisms?: Mechanism[];
  }
  return PartnershipDetailsDto;
}

export class RegisterPartnershipDto extends partnershipDetailsFields('register') {
  /** Client-chosen id (e.g. the CSD registry number); generated when absent. */
  @IsOptional() @Matches(ID_PATTERN, { message: `id must be ${ID_RULE_TEXT}` })
  id?: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_LIST) @ValidateNested(each) @Type(() => NewPartnerDto)
  partners: NewPartnerDto[];
}

export class AmendPartnershipDto extends partnershipDetailsFields('amend') {}

/** The partner's organisation, its lead flag, and the usual when / why. */
export class JoinPartnerDto extends IntersectionType(NewPartnerDto, CommandInputDto) {}

export class LeavePartnerDto extends CommandInputDto {
  /** A remaining partner who becomes lead in the same change (needed when the last lead leaves). */
  @IsOptional() @Matches(ID_PATTERN, { message: `designateLead must be ${ID_RULE_TEXT}` })
  designateLead?: string;
}

export class DesignateLeadDto extends CommandInputDto {
  @Matches(ID_PATTERN, { message: `orgId must be ${ID_RULE_TEXT}` })
  orgId: string;
}

export class ReportPeriodDto {
  @IsCalendarDate()
  from: string;

  @IsCalendarDate()
  to: string;
}

export class FileReportDto extends CommandInputDto {
  /** Generated when absent; a repeated id is refused, so clients may use it for dedup. */
  @IsOptional() @Matches(ID_PATTERN, { message: `reportId must be ${ID_RULE_TEXT}` })
  reportId?: string;

  @ValidateNested() @Type(() => ReportPeriodDto)
  period: ReportPeriodDto;

  @IsString() @IsNotEmpty() @MaxLength(20000)
  summary: string;

  @IsArray() @ArrayUnique() @IsIn(REPORT_ACTIVITIES, each)
  activities: ReportActivity[];
}

export class MergePartnershipDto extends CommandInputDto {
  @Matches(ID_PATTERN, { message: `into must be ${ID_RULE_TEXT}` })
  into: string;
}

export class EndPartnershipDto extends CommandInputDto {
  @IsIn(['completed', 'dissolved', 'inactive'], {
    message: 'reason must be one of completed, dissolved, inactive (a merge ends a partnership through /merge)',
  })
  reason: 'completed' | 'dissolved' | 'inactive';
}
