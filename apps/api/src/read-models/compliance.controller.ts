import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReadModels } from '@registry/read-side';
import { COMPLIANCE, COMPLIANCE_STATUSES, complianceStatus, complianceStatusFilter, type ComplianceDocument } from '@registry/projections';
import { InvalidInput } from '@registry/shared-kernel';
import { ApiAsOfQuery } from '../time-travel/as-of-query';
import { AsOfService, type RequestedAsOf } from '../time-travel/as-of.service';
import { cursorPage } from './cursor-page';
import { ComplianceQuery } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';
import { READ_MODELS } from './read-side.tokens';

@ApiTags('reporting')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('reporting/compliance')
export class ComplianceController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly asOf: AsOfService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Reporting compliance (green, yellow, red, closed) under the configured policy, with counts',
    description:
      'With asOf/knownAt/session: the counts and the per-partnership list as they stood at that point (statuses evaluated at asOf on what was recorded by knownAt); ' +
      'the list is then ordered by partnership id, and `at` is refused (asOf is the evaluation instant).',
  })
  @ApiAsOfQuery()
  async compliance(@Query() query: ComplianceQuery) {
    const point = this.asOf.resolve(query);
    if (point) return this.complianceAsOf(point, query);
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

  private async complianceAsOf(point: RequestedAsOf, query: ComplianceQuery) {
    if (query.at !== undefined) {
      throw new InvalidInput('at is not available with asOf/knownAt/session: as of a point, statuses are evaluated at asOf', [{ field: 'at', rule: 'not-with-asOf' }]);
    }
    const engine = await this.asOf.timeTravel();
    const at = { asOf: point.asOf, knownAt: point.knownAt };
    const [counts, page] = await Promise.all([engine.complianceCounts(at), engine.compliance(at, query.status, { limit: query.limit, cursor: query.cursor })]);
    return { ...(await this.asOf.echo(point)), at: point.asOf, counts, ...page };
  }
}
