import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectorRuntime } from '@registry/projector';
import { Roles } from '../auth/roles.decorator';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly runtime: ProjectorRuntime) {}

  @Get()
  @Roles('secretariat', 'auditor', 'analyst')
  @ApiOperation({ summary: 'Each read model: version, checkpoint, lag in events and in milliseconds, state' })
  status() {
    return this.runtime.status();
  }
}
