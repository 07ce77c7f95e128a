import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-io';

export interface GenerateProgress {
  /** A line was generated, effective on `date`. */
  line(date: string): void;
  stop(): void;
}

/** On a terminal, a bar over the simulated years; elsewhere nothing, so stderr stays clean in pipelines. */
export function generateProgress(io: CliIo, from: string, until: string): GenerateProgress {
  if (!io.interactive) return { line: () => {}, stop: () => {} };
  const yearOf = (date: string) => Number(date.slice(0, 4));
  const bar = new SingleBar(
    { stream: io.stderr, format: 'generate |{bar}| {year} | {lines} lines', hideCursor: true },
    Presets.shades_classic,
  );
  let lines = 0;
  let latest = from;
  bar.start(yearOf(until) - yearOf(from) + 1, 0, { year: yearOf(from), lines });
  return {
    line(date) {
      lines++;
      if (date > latest) latest = date;
      // Redrawing per line would cost more than generating it.
      if (lines % 10_000 === 0) bar.update(yearOf(latest) - yearOf(from), { year: yearOf(latest), lines });
    },
    stop() {
      bar.update(bar.getTotal(), { year: yearOf(until), lines });
      bar.stop();
    },
  };
}
