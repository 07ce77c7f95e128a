import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectorRuntime } from '@registry/projector';
import { COMPLIANCE, COMPLIANCE_STATUSES, complianceStatus, complianceStatusFilter, type ComplianceDocument } from '@registry/projections';
import { cursorPage } from './cursor-page';
import { ComplianceQuery } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

@ApiTags('reporting')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('reporting/compliance')
export class ComplianceController {
  constructor(private readonly readModels: ProjectorRuntime) {}

  @Get()
  @ApiOperation({ summary: 'Reporting compliance (green, yellow, red, closed) under the configured policy, with counts' })
  async compliance(@Query() query: ComplianceQuery) {
    const now = query.at ? new Date(query.at) : new Date();
    const collection = this.readModels.collection<ComplianceDocument>(COMPLIANCE);
    const counts = Object.fromEntries(
      await Promise.all(COMPLIANCE_STATUSES.map(async (status) => [status, await collection.countDocuments(complianceStatusFilter(status, now) as never)] as const)),
    );
    const filter = query.status ? complianceStatusFilter(query.status, now) : {};
    const page = await cursorPage(collection, filter, 'dueAt', query, { _position: 0, lastPosition: 0 });
    return {
      at: now.toISOString(),
      counts,
      ...page,
      items: page.items.map((document) => ({ ...document, status: complianceStatus(document, now) })),
    };
  }
}
