'use strict';
/**
 * The write bench's second baseline: the API's HTTP pipeline without the event-sourced work. The
 * same Nest application on Fastify, with the API's bearer-auth guard (role and scope checks, the
 * token cache), its id pipe, its class-validator pipe on `FileReportDto` and its error filter,
 * around a handler that answers 201 at once: no command bus, no decision, no append. What the
 * mandated stack costs a request before any durable work, measured in the same run.
 */
require('reflect-metadata');
const path = require('node:path');
const { Body, Controller, Module, Param, Post } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

const dist = (module) => require(path.join(__dirname, '../../dist', module));
const { AuthModule } = dist('apps/api/src/auth/auth.module');
const { PartnershipScoped, Roles } = dist('apps/api/src/auth/roles.decorator');
const { InputValidationPipe } = dist('apps/api/src/http/input-validation.pipe');
const { RegistryExceptionFilter } = dist('apps/api/src/http/registry-exception.filter');
const { PartnershipIdPipe } = dist('apps/api/src/partnerships/partnership-id.pipe');
const { FileReportDto } = dist('libs/commands/src');
const { useBindWithoutDeprecatedProperty } = dist('libs/shared-kernel/src');

// Decorated by hand (this file is not compiled), as `PartnershipCommandsController.fileReport` is.
class PipelineController {
  fileReport(id) {
    return { partnershipId: id };
  }
}
const fileReport = Object.getOwnPropertyDescriptor(PipelineController.prototype, 'fileReport');
Reflect.defineMetadata('design:paramtypes', [String, FileReportDto], PipelineController.prototype, 'fileReport');
Param('id', PartnershipIdPipe)(PipelineController.prototype, 'fileReport', 0);
Body()(PipelineController.prototype, 'fileReport', 1);
Reflect.decorate([Post(':id/reports'), Roles('secretariat', 'focal-point'), PartnershipScoped()], PipelineController.prototype, 'fileReport', fileReport);
Controller('partnerships')(PipelineController);

class PipelineModule {}
Module({ imports: [AuthModule.forRoot(process.env.JWT_SECRET)], controllers: [PipelineController] })(PipelineModule);

(async () => {
  useBindWithoutDeprecatedProperty(); // as createApp does
  const app = await NestFactory.create(PipelineModule, new FastifyAdapter({ bodyLimit: 1024 * 1024 }), { logger: ['error'] });
  app.useGlobalFilters(new RegistryExceptionFilter());
  app.useGlobalPipes(new InputValidationPipe());
  await app.listen(Number(process.env.PORT), '127.0.0.1');
})();
