#!/usr/bin/env node
import 'reflect-metadata';
import { InvalidConfiguration, loadConfig } from '@registry/config';
import { CommandFactory } from 'nest-commander';
import { CliIo } from './cli-io';
import { cliRunOptions } from './cli-run-options';
import { CliModule } from './cli.module';

async function main(): Promise<void> {
  const io = CliIo.fromProcess();
  await CommandFactory.run(CliModule.forRoot(loadConfig(), io), cliRunOptions(io));
  // exitCode, not exit(): let stdout drain (a token piped into another program).
  process.exitCode = io.exitCode;
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidConfiguration ? error.message : `error: ${(error as Error)?.message ?? error}`);
  process.exitCode = 1;
});
