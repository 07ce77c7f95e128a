import { Controller, Get, Inject, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReadModels } from '@registry/read-side';
import { ORGANISATIONS, type OrganisationDocument } from '@registry/projections';
import { NotFound } from '@registry/shared-kernel';
import { PartnershipIdPipe } from '../partnerships/partnership-id.pipe';
import { ApiAsOfQuery } from '../time-travel/as-of-query';
import { AsOfService, type RequestedAsOf } from '../time-travel/as-of.service';
import { cursorPage } from './cursor-page';
import { describe } from './partnership-queries.controller';
import { AsOfReadQuery, ListOrganisationsQuery } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';
import { READ_MODELS } from './read-side.tokens';

const INTERNAL_FIELDS = { _position: 0 } as const;

@ApiTags('organisations')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('organisations')
export class OrganisationsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly asOf: AsOfService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Partner organisations with the partnerships they are in' })
  list(@Query() query: ListOrganisationsQuery) {
    const filter: Record<string, unknown> = {};
    if (query.type) filter.type = query.type;
    if (query.country) filter.country = query.country;
    if (query.q) filter.name = { $regex: query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    return cursorPage(this.readModels.collection<OrganisationDocument>(ORGANISATIONS), filter, query.sort ?? 'name', query, INTERNAL_FIELDS);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One organisation: current and former partnerships, as partner and as lead',
    description:
      'With asOf/knownAt/session: the organisation as it stood at that point, folded by the organisations read model from the events, ' +
      'effective and recorded by then, of every partnership it was ever in (a partnership ended by then lists it among the former ones); ' +
      '404 when it was in none by then.',
  })
  @ApiAsOfQuery()
  async get(@Param('id', PartnershipIdPipe) id: string, @Query() query: AsOfReadQuery) {
    const organisation = await this.readModels.collection<OrganisationDocument>(ORGANISATIONS).findOne({ _id: id }, { projection: INTERNAL_FIELDS });
    if (!organisation) throw new NotFound(`organisation ${id} not found`, [{ field: 'id', rule: 'organisation-exists' }]);
    const point = this.asOf.resolve(query);
    return point ? this.organisationAsOf(organisation as OrganisationDocument, point) : organisation;
  }

  /** An organisation as of a point: see `TimeTravel.organisation`. */
  private async organisationAsOf(organisation: OrganisationDocument, point: RequestedAsOf) {
    const engine = await this.asOf.timeTravel();
    const everIn = [...organisation.partnerships, ...organisation.formerPartnerships].map((membership) => membership.partnershipId);
    const then = await engine.organisation(organisation._id, [...new Set(everIn)], point);
    if (!then) {
      throw new NotFound(`organisation ${organisation._id} was in no partnership as of ${describe(point)}`, [{ field: 'id', rule: 'organisation-exists-as-of' }]);
    }
    return { ...(await this.asOf.echo(point)), ...then };
  }
}
