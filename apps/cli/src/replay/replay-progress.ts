import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-io';

/** Progress of a replay over the log: the position reached out of the head, on stderr. */
export interface ReplayProgress {
  update(position: number): void;
  stop(): void;
}

/** On a terminal a bar with ETA; elsewhere one line per tenth of the log, instead of redrawing. */
export function replayProgress(io: CliIo, label: string, head: number): ReplayProgress {
  if (io.interactive) {
    const bar = new SingleBar(
      { stream: io.stderr, format: `${label} |{bar}| {value}/{total} events | ETA {eta_formatted}`, hideCursor: true, etaBuffer: 200 },
      Presets.shades_classic,
    );
    bar.start(Math.max(head, 1), 0);
    return {
      update: (position) => bar.update(Math.min(position, Math.max(head, 1))),
      stop: () => bar.stop(),
    };
  }
  let tenths = -1;
  return {
    update(position) {
      const reached = head === 0 ? 10 : Math.min(10, Math.floor((position * 10) / head));
      if (reached === tenths) return;
      tenths = reached;
      io.err(`${label}: ${reached * 10}% (${position}/${head} events)`);
    },
    stop() {},
  };
}
