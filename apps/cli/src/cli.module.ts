import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { RegistryWriteModule } from '@registry/commands';
import type { RegistryConfig } from '@registry/config';
import { InjectCommander, type CommandRunner } from 'nest-commander';
import { CliIo } from './cli-io';
import { GenerateCommand } from './generate/generate.command';
import { ImportCommand } from './import/import.command';
import { JsonlImporter } from './import/jsonl-importer';
import { ProjectionsCommand, ProjectionsRebuildCommand, ProjectionsStatusCommand } from './projections/projections.command';
import { ReplayCommand } from './replay/replay.command';
import { TokenCommand } from './token/token.command';

type Program = Parameters<CommandRunner['setCommand']>[0];

/**
 * The `registry` CLI: the same write module as the API (so an imported line goes through the
 * same command bus and handlers as a request) plus the commands. Closing the application context
 * closes the event store (the write module's shutdown hook), whichever command ran.
 */
@Module({})
export class CliModule implements OnModuleInit {
  constructor(@InjectCommander() private readonly program: Program) {}

  static forRoot(config: RegistryConfig, io: CliIo = CliIo.fromProcess()): DynamicModule {
    return {
      module: CliModule,
      imports: [RegistryWriteModule.forRoot(config)],
      providers: [{ provide: CliIo, useValue: io }, JsonlImporter, ImportCommand, TokenCommand, GenerateCommand, ProjectionsCommand, ProjectionsStatusCommand, ProjectionsRebuildCommand, ReplayCommand],
    };
  }

  onModuleInit(): void {
    // Otherwise commander names the program after the script file (`main`).
    this.program.name('registry').description('Partnership registry: administration commands');
  }
}
