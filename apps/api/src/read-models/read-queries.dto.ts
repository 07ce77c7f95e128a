import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN, ID_RULE_TEXT, IsCountryCode, IsEffectiveDate } from '@registry/commands';
import { COMPLIANCE_STATUSES, type ComplianceStatus } from '@registry/projections';
import { PARTNER_TYPES, REGIONS, SCOPES, THEMES, type PartnerType, type Region, type Scope, type Theme } from '@registry/shared-kernel';
import { WithAsOf } from '../time-travel/as-of-query';

/** `a,b, c` → ['a', 'b', 'c'] (a repeated parameter arrives as an array already). */
const commaList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value);

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

/** `GET /partnerships/:id` and `GET /organisations/:id`: one document, now or as of a point. */
export class AsOfReadQuery extends WithAsOf(ReadQueryDto) {}

export class ListPartnershipsQuery extends WithAsOf(PageQueryDto) {
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

export class TrendsQuery extends WithAsOf(ReadQueryDto) {
  /** Comma-separated themes: the tables for partnerships whose primary themes meet them. */
  @IsOptional() @Transform(commaList)
  @IsIn(THEMES, { each: true })
  cluster?: Theme[];
}

/** `GET /trends/compare`: two to twelve points, by session or by date, with one knownAt. */
export class CompareTrendsQuery extends ReadQueryDto {
  /** Comma-separated session ids of `GET /sessions`. */
  @IsOptional() @Transform(commaList)
  @ArrayMinSize(2, { message: 'sessions must name at least two sessions, e.g. CSD-16,CSD-18' }) @ArrayMaxSize(12)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { each: true, message: 'sessions must be session ids of GET /sessions, comma-separated' })
  sessions?: string[];

  /** Comma-separated dates or date-times. */
  @IsOptional() @Transform(commaList)
  @ArrayMinSize(2, { message: 'asOf must list at least two dates, e.g. 2008-05-05,2010-02-01' }) @ArrayMaxSize(12)
  @IsEffectiveDate({ each: true, message: 'asOf must be comma-separated dates YYYY-MM-DD or ISO 8601 date-times with a time zone' })
  asOf?: string[];

  @IsOptional() @IsEffectiveDate()
  knownAt?: string;

  @IsOptional() @Transform(commaList)
  @IsIn(THEMES, { each: true })
  cluster?: Theme[];
}

export class ComplianceQuery extends WithAsOf(PageQueryDto) {
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
