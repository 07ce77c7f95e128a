import { Controller, Get, Inject, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ReadModels } from '@registry/read-side';
import { clusterFacetFilter, COUNTERS_ID, TREND_FACETS, TRENDS, trendTables, trendTablesFor, type TrendFacet, type TrendTables } from '@registry/projections';
import { InvalidInput, toInstant } from '@registry/shared-kernel';
import { compareTrends, comparisonCsv, trendsCsv } from '@registry/time-travel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csvReply, prefersCsv } from '../http/content-negotiation';
import { ApiAsOfQuery } from '../time-travel/as-of-query';
import { AsOfService, type RequestedAsOf } from '../time-travel/as-of.service';
import { CompareTrendsQuery, TrendsQuery } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';
import { READ_MODELS } from './read-side.tokens';

@ApiTags('trends')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('trends')
export class TrendsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    private readonly asOf: AsOfService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The tables of the 2010 report, maintained as events arrive; `cluster` narrows them to primary themes',
    description: 'With asOf/knownAt/session: the tables as they stood at that point, with the point echoed. `Accept: text/csv` gives `table,key,value` rows.',
  })
  @ApiAsOfQuery()
  @ApiQuery({ name: 'cluster', required: false, description: 'Comma-separated primary themes, e.g. transport,chemicals,mining,waste-management,consumption-production' })
  @ApiProduces('application/json', 'text/csv')
  async trends(@Query() query: TrendsQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const point = this.asOf.resolve(query);
    const tables = point ? await this.tablesAt(point, query.cluster) : await this.currentTables(query.cluster);
    const echo = point ? await this.asOf.echo(point) : null;
    if (prefersCsv(request.headers.accept)) {
      const label = echo ? (echo.session ?? echo.asOf.slice(0, 10)) : 'current';
      return csvReply(reply, trendsCsv(tables), `trends-${label}.csv`, echo ? echoHeaders(echo) : {});
    }
    return { ...echo, ...(query.cluster?.length && { cluster: query.cluster }), ...tables };
  }

  @Get('compare')
  @ApiOperation({
    summary: 'Trend tables side by side at two or more sessions (or dates), with the change from the first to the last',
    description:
      'One of `sessions=CSD-16,CSD-18` or `asOf=2008-05-05,2010-02-01` (2-12 points), optional `knownAt` (for every point) and `cluster`. ' +
      'JSON: `points`, then `rows` [{table, key, values[], change, relativeChange}] and the same cells nested as `tables`. relativeChange = change / first value, null when the first is 0. ' +
      '`Accept: text/csv`: `table,key,<point 1>,…,<point n>,change,relativeChange`.',
  })
  @ApiQuery({ name: 'sessions', required: false, description: 'Comma-separated session ids', example: 'CSD-16,CSD-18' })
  @ApiQuery({ name: 'asOf', required: false, description: 'Comma-separated dates or date-times', example: '2008-05-05,2010-02-01' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'Transaction time for every point (default: everything recorded)' })
  @ApiQuery({ name: 'cluster', required: false, description: 'Comma-separated primary themes' })
  @ApiProduces('application/json', 'text/csv')
  async compare(@Query() query: CompareTrendsQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    if ((query.sessions === undefined) === (query.asOf === undefined)) {
      throw new InvalidInput('give the points to compare as sessions=CSD-16,CSD-18 or as asOf=2008-05-05,2010-02-01 (one of the two)', [
        { field: 'sessions', rule: 'sessions-or-asOf' },
        { field: 'asOf', rule: 'sessions-or-asOf' },
      ]);
    }
    const unknown = (query.sessions ?? []).filter((session) => !this.asOf.sessions.get(session));
    if (unknown.length > 0) {
      const ids = this.asOf.sessions.ids.join(', ');
      throw new InvalidInput(`sessions ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a known session' : 'are not known sessions'}; valid ids: ${ids}`, [
        { field: 'sessions', rule: 'known-session', message: `each one of ${ids}` },
      ]);
    }
    const points: RequestedAsOf[] = query.sessions
      ? query.sessions.map((session) => this.asOf.resolve({ session, knownAt: query.knownAt })!)
      : query.asOf!.map((asOf) => ({ asOf: toInstant(asOf), knownAt: query.knownAt === undefined ? null : toInstant(query.knownAt), session: null }));
    const labels = query.sessions ?? query.asOf!;
    const tables = await Promise.all(points.map((point) => this.tablesAt(point, query.cluster)));
    const comparison = compareTrends(tables);
    const echoes = await Promise.all(points.map((point) => this.asOf.echo(point)));
    if (prefersCsv(request.headers.accept)) {
      return csvReply(reply, comparisonCsv(labels, comparison.rows), `trends-${labels.join('-vs-')}.csv`.replace(/[^A-Za-z0-9._-]/g, '_'));
    }
    return {
      points: echoes.map((echo, index) => ({ label: labels[index], ...echo })),
      knownAt: points[0].knownAt,
      ...(query.cluster?.length && { cluster: query.cluster }),
      rows: comparison.rows,
      tables: comparison.tables,
    };
  }

  private async tablesAt(point: RequestedAsOf, cluster?: readonly string[]): Promise<TrendTables> {
    const engine = await this.asOf.timeTravel();
    return engine.trends({ asOf: point.asOf, knownAt: point.knownAt }, cluster?.length ? cluster : undefined);
  }

  private async currentTables(cluster?: readonly string[]): Promise<TrendTables> {
    if (cluster?.length) {
      // Only the cluster's partnerships are read, through the index on primary themes.
      const facets = await this.readModels.collection<TrendFacet>(TREND_FACETS).find(clusterFacetFilter(cluster) as never).toArray();
      return trendTablesFor(facets as TrendFacet[]);
    }
    return trendTables(await this.readModels.collection(TRENDS).findOne({ _id: COUNTERS_ID }));
  }
}

/** A CSV body has no room for the point it answers: headers carry it. */
function echoHeaders(echo: { asOf: string; knownAt: string | null; session: string | null; position: number }): Record<string, string> {
  return {
    'x-as-of': echo.asOf,
    'x-known-at': echo.knownAt ?? 'all recorded',
    ...(echo.session && { 'x-session': echo.session }),
    'x-as-of-position': String(echo.position),
  };
}
