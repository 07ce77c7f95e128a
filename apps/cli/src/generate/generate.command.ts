import { DEFAULT_UNTIL, FIRST_REGISTRATION, generateHistory, MAX_SEED } from '@registry/generator';
import { isCalendarDate } from '@registry/shared-kernel';
import { Command, Option } from 'nest-commander';
import { CliCommand } from '../cli-command';
import { CliIo, UsageError } from '../cli-io';
import { generateProgress } from './generate-progress';
import { writeLines } from './write-lines';

interface GenerateOptions {
  partnerships: number;
  seed: number;
  until: string;
}

const MAX_PARTNERSHIPS = 10_000_000;

/** Output depends only on the options, never on the clock: the same command prints the same bytes. */
@Command({
  name: 'generate',
  description:
    'Print a realistic registry history as JSON Lines for `registry import` (stdout), shaped like the CSD-18 report: ' +
    'registrations from the 2002 Summit on, partners joining and leaving, reports, amendments, merges and ends. ' +
    'About 12 lines and 25 events per partnership.',
})
export class GenerateCommand extends CliCommand {
  constructor(private readonly io: CliIo) {
    super();
  }

  async run(_args: string[], options: GenerateOptions): Promise<void> {
    const { partnerships, seed, until } = options;
    if (!Number.isInteger(partnerships) || partnerships < 1 || partnerships > MAX_PARTNERSHIPS) {
      throw new UsageError(`option '--partnerships <n>' must be a whole number from 1 to ${MAX_PARTNERSHIPS}`);
    }
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new UsageError(`option '--seed <n>' must be a whole number from 0 to ${MAX_SEED}`);
    }
    if (!isCalendarDate(until) || until < FIRST_REGISTRATION) {
      throw new UsageError(`option '--until <date>' must be a date YYYY-MM-DD from ${FIRST_REGISTRATION} on`);
    }
    const today = new Date().toISOString().slice(0, 10);
    if (until > today) this.io.err(`warning: --until ${until} is after today: import refuses lines effective after today`);

    const progress = generateProgress(this.io, FIRST_REGISTRATION, until);
    const history = generateHistory({ partnerships, seed, until });
    function* jsonLines() {
      for (const line of history) {
        progress.line(line.effectiveDate);
        yield `${JSON.stringify(line)}\n`;
      }
    }
    await writeLines(this.io.stdout, jsonLines()).finally(() => progress.stop());
  }

  @Option({ flags: '--partnerships <n>', description: `partnerships to register, 1-${MAX_PARTNERSHIPS}`, required: true })
  parsePartnerships(value: string): number {
    return Number(value);
  }

  @Option({ flags: '--seed <n>', description: `PRNG seed, 0-${MAX_SEED}: same seed, same output`, required: true })
  parseSeed(value: string): number {
    return Number(value);
  }

  @Option({
    flags: '--until <date>',
    description: 'last effective date, YYYY-MM-DD (a fixed default, so output is reproducible)',
    defaultValue: DEFAULT_UNTIL,
  })
  parseUntil(value: string): string {
    return value;
  }
}
