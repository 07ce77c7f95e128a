import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectorRuntime } from '@registry/projector';
import { clusterFacetFilter, COUNTERS_ID, TREND_FACETS, TRENDS, trendTables, trendTablesFor, type TrendFacet } from '@registry/projections';
import { TrendsQuery } from './read-queries.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

@ApiTags('trends')
@UseInterceptors(ReadYourWritesInterceptor)
@Controller('trends')
export class TrendsController {
  constructor(private readonly readModels: ProjectorRuntime) {}

  @Get()
  @ApiOperation({ summary: 'The tables of the 2010 report, maintained as events arrive; `cluster` narrows them to primary themes' })
  async trends(@Query() query: TrendsQuery) {
    if (query.cluster?.length) {
      // Only the cluster's partnerships are read, through the index on primary themes.
      const facets = await this.readModels.collection<TrendFacet>(TREND_FACETS).find(clusterFacetFilter(query.cluster) as never).toArray();
      return { cluster: query.cluster, ...trendTablesFor(facets as TrendFacet[]) };
    }
    return trendTables(await this.readModels.collection(TRENDS).findOne({ _id: COUNTERS_ID }));
  }
}
