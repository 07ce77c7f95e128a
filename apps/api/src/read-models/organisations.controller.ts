import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectorRuntime } from '@registry/projector';
import { ORGANISATIONS, type FormerMembership, type Membership, type OrganisationDocument } from '@registry/projections';
import { NotFound } from '@registry/shared-kernel';
import { PartnershipIdPipe } from '../partnerships/partnership-id.pipe';
import { ApiAsOfQuery } from '../time-travel/as-of-query';
import { AsOfService, type RequestedAsOf } from '../time-travel/as-of.service';
import { cursorPage } from './cursor-page';
import { describe } from './partnership-queries.controller';
import { AsOfReadQuery, ListOrganisationsQuery } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

const INTERNAL_FIELDS = { _position: 0 } as const;

@ApiTags('organisations')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly readModels: ProjectorRuntime,
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
      'With asOf/knownAt/session: its partnerships as they stood at that point, folded from each partnership it was ever in as of that point ' +
      '(a partnership ended by then lists it among the former ones); 404 when it was in none by then.',
  })
  @ApiAsOfQuery()
  async get(@Param('id', PartnershipIdPipe) id: string, @Query() query: AsOfReadQuery) {
    const organisation = await this.readModels.collection<OrganisationDocument>(ORGANISATIONS).findOne({ _id: id }, { projection: INTERNAL_FIELDS });
    if (!organisation) throw new NotFound(`organisation ${id} not found`, [{ field: 'id', rule: 'organisation-exists' }]);
    const point = this.asOf.resolve(query);
    return point ? this.organisationAsOf(organisation as OrganisationDocument, point) : organisation;
  }

  /**
   * An organisation as of a point, from the partnerships it was ever in (today's document lists
   * them all), each taken as of the point: a member of an active one is a current membership; of
   * an ended one, a former one ended by the partnership; a membership that ended by leaving before
   * the point is a former one. Dates of joining and leaving come from today's document.
   */
  private async organisationAsOf(organisation: OrganisationDocument, point: RequestedAsOf) {
    const engine = await this.asOf.timeTravel();
    const at = Date.parse(point.asOf);
    const everIn = [...organisation.partnerships, ...organisation.formerPartnerships];
    const ids = [...new Set(everIn.map((membership) => membership.partnershipId))].sort();
    const views = await Promise.all(ids.map((partnershipId) => engine.partnership(partnershipId, { asOf: point.asOf, knownAt: point.knownAt })));
    const since = (partnershipId: string, fallback: string) =>
      everIn
        .filter((membership) => membership.partnershipId === partnershipId && Date.parse(membership.since) <= at)
        .map((membership) => membership.since)
        .sort()
        .pop() ?? fallback;
    const partnerships: Membership[] = [];
    const formerPartnerships: FormerMembership[] = [];
    views.forEach((view, index) => {
      if (!view) return;
      const partnershipId = ids[index];
      const listing = view.partners.find((partner) => partner.orgId === organisation._id);
      if (listing && view.status === 'active') {
        partnerships.push({ partnershipId, lead: listing.lead, since: since(partnershipId, view.registeredAt) });
      } else if (listing) {
        formerPartnerships.push({
          partnershipId,
          lead: listing.lead,
          since: since(partnershipId, view.registeredAt),
          until: view.endedAt ?? point.asOf,
          endedBy: view.endReason ?? 'completed',
          ...(view.mergedInto && { mergedInto: view.mergedInto }),
        });
      } else {
        formerPartnerships.push(
          ...organisation.formerPartnerships.filter((membership) => membership.partnershipId === partnershipId && membership.endedBy === 'left' && Date.parse(membership.until) <= at),
        );
      }
    });
    if (partnerships.length === 0 && formerPartnerships.length === 0) {
      throw new NotFound(`organisation ${organisation._id} was in no partnership as of ${describe(point)}`, [{ field: 'id', rule: 'organisation-exists-as-of' }]);
    }
    return {
      ...(await this.asOf.echo(point)),
      ...organisation,
      partnerships,
      formerPartnerships,
      partnershipCount: partnerships.length,
      leadCount: partnerships.filter((membership) => membership.lead).length,
    };
  }
}
