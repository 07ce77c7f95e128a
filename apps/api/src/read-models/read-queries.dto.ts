import { Transform, Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN, ID_RULE_TEXT, IsCountryCode } from '@registry/commands';
import { COMPLIANCE_STATUSES, type ComplianceStatus } from '@registry/projections';
import { PARTNER_TYPES, REGIONS, SCOPES, THEMES, type PartnerType, type Region, type Scope, type Theme } from '@registry/shared-kernel';

/** Every read accepts `minPosition`: answer only once the read models have applied that event. */
export class ReadQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  minPosition?: number;
}

export class PageQueryDto extends ReadQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  /** Opaque: the `nextCursor` of the previous page. */
  @IsOptional() @IsString() @MaxLength(500)
  cursor?: string;
}

export const PARTNERSHIP_SORTS = ['name', '-name', 'registeredAt', '-registeredAt', 'updatedAt', '-updatedAt'] as const;

export class ListPartnershipsQuery extends PageQueryDto {
  @IsOptional() @IsIn(['active', 'ended'])
  status?: 'active' | 'ended';

  /** Primary or secondary theme. */
  @IsOptional() @IsIn(THEMES)
  theme?: Theme;

  @IsOptional() @IsIn(THEMES)
  primaryTheme?: Theme;

  @IsOptional() @IsIn(SCOPES)
  scope?: Scope;

  @IsOptional() @IsIn(REGIONS)
  region?: Region;

  @IsOptional() @IsCountryCode()
  country?: string;

  /** An organisation id: partnerships it is a current partner of. */
  @IsOptional() @Matches(ID_PATTERN, { message: `partner must be ${ID_RULE_TEXT}` })
  partner?: string;

  /** Words that must all appear in the name, description or partner names. */
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;

  @IsOptional() @IsIn(PARTNERSHIP_SORTS)
  sort?: (typeof PARTNERSHIP_SORTS)[number];
}

export class TrendsQuery extends ReadQueryDto {
  /** Comma-separated themes: the tables for partnerships whose primary themes meet them. */
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((theme) => theme.trim()).filter(Boolean) : value))
  @IsIn(THEMES, { each: true })
  cluster?: Theme[];
}

export class ComplianceQuery extends PageQueryDto {
  @IsOptional() @IsIn(COMPLIANCE_STATUSES)
  status?: ComplianceStatus;

  /** Evaluate the statuses at this instant instead of now (e.g. a session date). */
  @IsOptional() @IsDateString({ strict: true })
  at?: string;
}

export class ListOrganisationsQuery extends PageQueryDto {
  @IsOptional() @IsIn(PARTNER_TYPES)
  type?: PartnerType;

  @IsOptional() @IsCountryCode()
  country?: string;

  @IsOptional() @IsString() @MaxLength(200)
  q?: string;

  @IsOptional() @IsIn(['name', '-partnershipCount'])
  sort?: 'name' | '-partnershipCount';
}
