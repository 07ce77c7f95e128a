import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AmendPartnershipCommand,
  AmendPartnershipDto,
  DesignateLeadCommand,
  DesignateLeadDto,
  EndPartnershipCommand,
  EndPartnershipDto,
  FileReportCommand,
  FileReportDto,
  JoinPartnerCommand,
  JoinPartnerDto,
  LeavePartnerCommand,
  LeavePartnerDto,
  MergePartnershipCommand,
  MergePartnershipDto,
  RegisterPartnershipCommand,
  RegisterPartnershipDto,
  type CommandContext,
  type CommandOutcome,
} from '@registry/commands';
import type { FastifyReply } from 'fastify';
import { PartnershipScoped, Roles } from '../auth/roles.decorator';
import { CommandCtx } from '../http/command-context.decorator';
import { PartnershipIdPipe } from './partnership-id.pipe';

/** Thin: validated input and request context in, command bus, outcome out as headers and body. */
@ApiTags('partnership commands')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream version (the ETag); 409 if it moved on' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat with the same body answers the first response' })
@Controller('partnerships')
export class PartnershipCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('secretariat')
  @ApiOperation({ summary: 'Register a partnership with its initial partners (at least one lead)' })
  register(@Body() input: RegisterPartnershipDto, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const id = input.id ?? randomUUID();
    return this.send(new RegisterPartnershipCommand(id, input, context), reply, 201, true);
  }

  @Post(':id/partners')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Record a partner joining' })
  join(@Param('id', PartnershipIdPipe) id: string, @Body() input: JoinPartnerDto, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(new JoinPartnerCommand(id, input, context), reply);
  }

  @Post(':id/partners/:orgId/leave')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Record a partner leaving; the last lead needs `designateLead`' })
  leave(
    @Param('id', PartnershipIdPipe) id: string,
    @Param('orgId', PartnershipIdPipe) orgId: string,
    @Body() input: LeavePartnerDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send(new LeavePartnerCommand(id, Object.assign(input, { orgId }), context), reply);
  }

  @Post(':id/leads')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Designate a current partner as lead' })
  designateLead(@Param('id', PartnershipIdPipe) id: string, @Body() input: DesignateLeadDto, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(new DesignateLeadCommand(id, input, context), reply);
  }

  @Post(':id/reports')
  @Roles('secretariat', 'focal-point')
  @PartnershipScoped()
  @ApiOperation({ summary: 'File a progress report (focal points: only for the partnerships in their token)' })
  fileReport(@Param('id', PartnershipIdPipe) id: string, @Body() input: FileReportDto, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(new FileReportCommand(id, input, context), reply, 201);
  }

  @Patch(':id')
  @Roles('secretariat')
  @ApiOperation({ summary: 'Amend (correct or update) attributes; `effectiveDate` may be in the past' })
  amend(@Param('id', PartnershipIdPipe) id: string, @Body() input: AmendPartnershipDto, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(new AmendPartnershipCommand(id, input, context), reply);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Merge this partnership into `into`: partners carried over, this one ended (reason merged)' })
  merge(@Param('id', PartnershipIdPipe) id: string, @Body() input: MergePartnershipDto, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(new MergePartnershipCommand(id, input, context), reply);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'End a partnership: completed, dissolved or inactive' })
  end(@Param('id', PartnershipIdPipe) id: string, @Body() input: EndPartnershipDto, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(new EndPartnershipCommand(id, input, context), reply);
  }

  private async send(command: { context: CommandContext }, reply: FastifyReply, createdStatus?: number, locatePartnership = false) {
    const outcome = await this.commands.execute<typeof command, CommandOutcome>(command);
    if (createdStatus) void reply.status(createdStatus);
    void reply
      .header('ETag', `"${outcome.version}"`)
      .header('X-Event-Position', String(outcome.position))
      .header('X-Correlation-Id', command.context.correlationId);
    // From the outcome: a replayed registration keeps the id generated the first time.
    if (locatePartnership) void reply.header('Location', `/partnerships/${encodeURIComponent(outcome.partnershipId)}`);
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    return {
      partnershipId: outcome.partnershipId,
      version: outcome.version,
      position: outcome.position,
      events: outcome.events,
    };
  }
}
