import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectorRuntime } from '@registry/projector';
import { ORGANISATIONS, type OrganisationDocument } from '@registry/projections';
import { NotFound } from '@registry/shared-kernel';
import { PartnershipIdPipe } from '../partnerships/partnership-id.pipe';
import { cursorPage } from './cursor-page';
import { ListOrganisationsQuery, ReadQueryDto } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

const INTERNAL_FIELDS = { _position: 0 } as const;

@ApiTags('organisations')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly readModels: ProjectorRuntime) {}

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
  @ApiOperation({ summary: 'One organisation: current and former partnerships, as partner and as lead' })
  async get(@Param('id', PartnershipIdPipe) id: string, @Query() _query: ReadQueryDto) {
    const organisation = await this.readModels.collection<OrganisationDocument>(ORGANISATIONS).findOne({ _id: id }, { projection: INTERNAL_FIELDS });
    if (!organisation) throw new NotFound(`organisation ${id} not found`, [{ field: 'id', rule: 'organisation-exists' }]);
    return organisation;
  }
}
