import type { LoggerService, LogLevel } from '@nestjs/common';
import type { CommandFactory } from 'nest-commander';
import { CliIo, UsageError } from './cli-io';

/** nest-commander does not export its options type: the second parameter of `run`, less a bare logger. */
type CommandFactoryRunOptions = Exclude<Parameters<typeof CommandFactory.run>[1], LoggerService | LogLevel[] | false | undefined>;

/** How `registry` runs under nest-commander; main.ts and the tests share it. */
export function cliRunOptions(io: CliIo): CommandFactoryRunOptions {
  return {
    cliName: 'registry',
    // Nest's start-up lines go to stdout and would mix with a minted token: errors only.
    logger: ['fatal', 'error'],
    // A store that cannot open must reach main as an error, not abort() the process.
    abortOnError: false,
    // Commander would process.exit(); throwing hands its error to serviceErrorHandler instead.
    errorHandler: (error) => {
      throw error;
    },
    serviceErrorHandler: (error) => reportFailure(io, error),
    outputConfiguration: {
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    },
  };
}

interface CommanderError extends Error {
  code: string;
  exitCode: number;
}

function isCommanderError(error: Error): error is CommanderError {
  const { code } = error as Partial<CommanderError>;
  return typeof code === 'string' && code.startsWith('commander.');
}

function reportFailure(io: CliIo, error: Error): void {
  if (isCommanderError(error)) {
    // Commander has written its message (unknown option, missing argument, help) already.
    io.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    io.err(`error: ${error.message}`);
    io.exitCode = 2;
  } else {
    io.err(`error: ${error.message}`);
    io.exitCode = 1;
  }
}
