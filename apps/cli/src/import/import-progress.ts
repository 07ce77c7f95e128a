import { performance } from 'node:perf_hooks';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-io';

/** Lines done out of the total, on stderr; messages about lines are printed without garbling it. */
export interface ImportProgress {
  advance(): void;
  log(message: string): void;
  stop(): void;
}

export function importProgress(io: CliIo, total: number): ImportProgress {
  return io.interactive ? new BarProgress(io, total) : new StepProgress(io, total);
}

function linesPerSecond(done: number, startedAt: number): number {
  const seconds = (performance.now() - startedAt) / 1000;
  return seconds > 0 ? Math.round(done / seconds) : 0;
}

/** On a terminal: a bar with rate and ETA. A MultiBar, because only it can log above the bar. */
class BarProgress implements ImportProgress {
  private readonly bars: MultiBar;
  private readonly bar: SingleBar;
  private readonly startedAt = performance.now();
  private done = 0;

  constructor(io: CliIo, total: number) {
    this.bars = new MultiBar(
      {
        stream: io.stderr,
        format: 'import |{bar}| {value}/{total} lines | {rate} lines/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 500,
      },
      Presets.shades_classic,
    );
    this.bar = this.bars.create(total, 0, { rate: 0 });
  }

  advance(): void {
    this.done++;
    this.bar.update(this.done, { rate: linesPerSecond(this.done, this.startedAt) });
  }

  log(message: string): void {
    this.bars.log(`${message}\n`);
  }

  stop(): void {
    this.bars.stop();
  }
}

/** Elsewhere (a log file, CI): one line per tenth of the work, instead of redrawing. */
class StepProgress implements ImportProgress {
  private readonly startedAt = performance.now();
  private done = 0;
  private tenths = 0;

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {}

  advance(): void {
    this.done++;
    const tenths = Math.floor((this.done * 10) / this.total);
    if (tenths === this.tenths) return;
    this.tenths = tenths;
    const rate = linesPerSecond(this.done, this.startedAt);
    this.io.err(`progress: ${tenths * 10}% (${this.done}/${this.total} lines, ${rate} lines/s)`);
  }

  log(message: string): void {
    this.io.err(message);
  }

  stop(): void {}
}
