import { Controller, Get, Inject, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReadModels } from '@registry/read-side';
import {
  AUDIT,
  PARTNERSHIPS,
  partnershipListFilter,
  TIMELINE_ENTRIES,
  TIMELINES,
  type AuditDocument,
  type PartnershipDocument,
  type TimelineDocument,
  type TimelineEntry,
  timelineView,
} from '@registry/projections';
import { InvalidInput, NotFound } from '@registry/shared-kernel';
import { Roles } from '../auth/roles.decorator';
import { PartnershipIdPipe } from '../partnerships/partnership-id.pipe';
import { ApiAsOfQuery } from '../time-travel/as-of-query';
import { AsOfService, type RequestedAsOf } from '../time-travel/as-of.service';
import { cursorPage } from './cursor-page';
import { AsOfReadQuery, ListPartnershipsQuery, PageQueryDto } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';
import { READ_MODELS } from './read-side.tokens';

/** Fields kept for the projection's own bookkeeping, not part of the public document. */
const INTERNAL_FIELDS = { _fold: 0, _position: 0, searchText: 0, lastPosition: 0, _partnerNames: 0 } as const;

@ApiTags('partnerships (read)')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('partnerships')
export class PartnershipQueriesController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly asOf: AsOfService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Current state of partnerships: filters, text search, cursor pagination',
    description: 'With asOf/knownAt/session: the partnerships as they stood at that point (filters apply to that state), ordered by id; `total` is null until the last page.',
  })
  @ApiAsOfQuery()
  async list(@Query() query: ListPartnershipsQuery) {
    const point = this.asOf.resolve(query);
    if (point) return this.listAsOf(point, query);
    const filter = partnershipListFilter(query);
    return cursorPage(this.readModels.collection<PartnershipDocument>(PARTNERSHIPS), filter, query.sort ?? 'name', query, INTERNAL_FIELDS);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One partnership as it stands, or as it stood at asOf/knownAt/session (404 when not registered, or not known, then)' })
  @ApiAsOfQuery()
  async get(@Param('id', PartnershipIdPipe) id: string, @Query() query: AsOfReadQuery) {
    const point = this.asOf.resolve(query);
    if (point) {
      const engine = await this.asOf.timeTravel();
      const partnership = await engine.partnership(id, { asOf: point.asOf, knownAt: point.knownAt });
      if (!partnership) throw new NotFound(`partnership ${id} not found as of ${describe(point)}`, [{ field: 'id', rule: 'partnership-exists-as-of' }]);
      return { ...(await this.asOf.echo(point)), ...partnership };
    }
    return found(await this.readModels.collection<PartnershipDocument>(PARTNERSHIPS).findOne({ _id: id }, { projection: INTERNAL_FIELDS }), id);
  }

  private async listAsOf(point: RequestedAsOf, query: ListPartnershipsQuery) {
    if (query.sort !== undefined) {
      throw new InvalidInput('sort is not available with asOf/knownAt/session: partnerships as of a point are listed by id', [{ field: 'sort', rule: 'not-with-asOf' }]);
    }
    const engine = await this.asOf.timeTravel();
    const { status, theme, primaryTheme, scope, region, country, partner, q } = query;
    const filter = Object.fromEntries(Object.entries({ status, theme, primaryTheme, scope, region, country, partner, q }).filter(([, value]) => value !== undefined));
    const page = await engine.partnerships({ asOf: point.asOf, knownAt: point.knownAt }, filter, { limit: query.limit, cursor: query.cursor });
    return { ...(await this.asOf.echo(point)), ...page };
  }

  @Get(':id/timeline')
  @ApiOperation({
    summary: 'The story of a partnership in effective-date order, with links to merged timelines',
    description: '`entries` is a page (`limit`, `cursor`: the `nextCursor` of the previous page); `total` counts every entry.',
  })
  async timeline(@Param('id', PartnershipIdPipe) id: string, @Query() query: PageQueryDto) {
    const head = found(await this.readModels.collection<TimelineDocument>(TIMELINES).findOne({ _id: id }, { projection: { _position: 0 } }), id);
    const entries = this.readModels.collection<TimelineEntry>(TIMELINE_ENTRIES);
    const { items, nextCursor, total } = await cursorPage(entries, { partnershipId: id }, 'order', query, { _position: 0, partnershipId: 0 });
    const [last] = await entries.find({ partnershipId: id }, { sort: { streamVersion: -1 }, limit: 1, projection: { streamVersion: 1, recordedAt: 1 } }).toArray();
    // The page's cursor is made of `order` and `_id` (the eventId, which entries show as such).
    return { ...timelineView(head as TimelineDocument, total, last ?? null), entries: items.map(({ _id, order, ...entry }) => entry), nextCursor, total };
  }

  @Get(':id/audit')
  @Roles('auditor', 'secretariat')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Every recorded change: who, when, why, effective when, and the field-level diff' })
  async audit(@Param('id', PartnershipIdPipe) id: string, @Query() query: PageQueryDto) {
    const audit = this.readModels.collection<AuditDocument>(AUDIT);
    const page = await cursorPage(audit, { partnershipId: id }, 'globalPosition', query);
    if (page.total === 0) throw new NotFound(`partnership ${id} not found`, [{ field: 'id', rule: 'partnership-exists' }]);
    return page;
  }
}

/** "2010-02-01T00:00:00.000Z (session CSD-18), known at …" for messages. */
export function describe(point: RequestedAsOf): string {
  return `${point.asOf}${point.session ? ` (session ${point.session})` : ''}${point.knownAt ? `, known at ${point.knownAt}` : ''}`;
}

function found<T>(document: T | null, id: string): T {
  if (!document) throw new NotFound(`partnership ${id} not found`, [{ field: 'id', rule: 'partnership-exists' }]);
  return document;
}
