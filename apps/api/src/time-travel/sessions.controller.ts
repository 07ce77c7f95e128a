import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionCatalog } from '@registry/time-travel';

@ApiTags('time travel')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly catalog: SessionCatalog) {}

  @Get()
  @ApiOperation({
    summary: 'Sessions and milestones for `session=` in as-of queries (reference data of SESSIONS_FILE)',
    description: 'Each: id, name, start, end, cutOff (when the session has a report cut-off) and asOf, the instant `session=<id>` stands for (cutOff, else start).',
  })
  list() {
    return { items: this.catalog.sessions.map(({ id, name, start, end, cutOff, asOf }) => ({ id, name, start, end, cutOff: cutOff ?? null, asOf })) };
  }
}
