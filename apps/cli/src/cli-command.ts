import { CommandRunner } from 'nest-commander';

type Commander = Parameters<CommandRunner['setCommand']>[0];

/**
 * Base of the registry's commands. nest-commander applies `errorHandler` to the root program
 * only, and commander does not pass it on to sub-commands added later: without this a bad option
 * of `registry token` would `process.exit(1)` from inside commander instead of reaching
 * `serviceErrorHandler` (exit code 2, and a test process left alive).
 */
export abstract class CliCommand extends CommandRunner {
  override setCommand(command: Commander): this {
    return super.setCommand(command.exitOverride());
  }
}
