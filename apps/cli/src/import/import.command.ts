import { Command, Option } from 'nest-commander';
import { CliCommand } from '../cli-command';
import { CliIo, UsageError } from '../cli-io';
import { osUsername } from '../os-username';
import { readImportFile } from './import-file';
import { IMPORT_COMMANDS } from './import-line';
import { importProgress } from './import-progress';
import { rejectionLines, summaryLines } from './import-report';
import { JsonlImporter } from './jsonl-importer';

interface ImportCommandOptions {
  actor?: string;
  concurrency: number;
}

const MAX_CONCURRENCY = 1024;

/** Exit code 0 when every line was applied or replayed, 1 when some were rejected. */
@Command({
  name: 'import',
  arguments: '<file>',
  argsDescription: {
    file:
      'JSONL, one command a line: {"command": "<name>", "data": {...}, "effectiveDate": "YYYY-MM-DD", "rationale"?: "..."}; ' +
      'blank lines and lines starting with # or // are skipped',
  },
  description:
    `Apply the commands of a file (${IMPORT_COMMANDS.join(', ')}) as the secretariat, each line judged as the HTTP request with the same body. ` +
    'Running the same file again (same --actor) replays instead of appending twice.',
})
export class ImportCommand extends CliCommand {
  constructor(
    private readonly importer: JsonlImporter,
    private readonly io: CliIo,
  ) {
    super();
  }

  async run([filePath]: string[], options: ImportCommandOptions): Promise<void> {
    const { concurrency } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new UsageError(`option '--concurrency <n>' must be a whole number from 1 to ${MAX_CONCURRENCY}`);
    }
    if (options.actor !== undefined && options.actor.trim() === '') throw new UsageError("option '--actor <id>' must not be empty");
    const actor = options.actor ?? `cli:${osUsername()}`;
    const file = await readImportFile(filePath);

    const progress = importProgress(this.io, file.lines.length);
    const summary = await this.importer
      .import(file, { actor, concurrency }, (outcome) => {
        if (outcome.status === 'rejected') rejectionLines(outcome).forEach((line) => progress.log(line));
        progress.advance();
      })
      .finally(() => progress.stop());
    summaryLines(summary).forEach((line) => this.io.out(line));
    if (summary.rejected > 0) this.io.exitCode = 1;
  }

  @Option({ flags: '--actor <id>', description: 'actor recorded on the events (default: cli:<os user>)' })
  parseActor(value: string): string {
    return value;
  }

  @Option({ flags: '--concurrency <n>', description: 'lines in flight at once; each partnership keeps file order', defaultValue: 32 })
  parseConcurrency(value: string): number {
    return Number(value);
  }
}
