import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReadModels } from '@registry/read-side';
import { Roles } from '../auth/roles.decorator';
import { READ_MODELS } from './read-side.tokens';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/projections')
export class ProjectionsAdminController {
  constructor(@Inject(READ_MODELS) private readonly runtime: ReadModels) {}

  @Get()
  @Roles('secretariat', 'auditor', 'analyst')
  @ApiOperation({ summary: 'Each read model: version, checkpoint, lag in events and in milliseconds, state' })
  status() {
    return this.runtime.status();
  }
}
