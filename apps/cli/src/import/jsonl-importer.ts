import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal } from '@registry/auth';
import type { CommandContext, CommandOutcome } from '@registry/commands';
import { RegistryError, type ErrorDetail } from '@registry/shared-kernel';
import type { ImportFile } from './import-file';
import { planLine, type PlannedLine } from './import-line';
import { KeyedScheduler } from './keyed-scheduler';

export interface ImportOptions {
  actor: string;
  /** Lines on the command bus at once; the event store commits concurrent appends together. */
  concurrency: number;
}

export type LineOutcome =
  | { line: number; status: 'applied' | 'replayed'; events: number }
  | { line: number; status: 'rejected'; kind: string; message: string; details: ErrorDetail[] };

export interface ImportSummary {
  file: string;
  sha256: string;
  correlationId: string;
  lines: number;
  applied: number;
  replayed: number;
  rejected: number;
  eventsAppended: number;
  elapsedMs: number;
}

/**
 * Applies the lines of an import file through the command bus, as the API would apply the same
 * requests. Each line is its own command: a rejected one is reported and the others go on.
 */
@Injectable()
export class JsonlImporter {
  constructor(private readonly commands: CommandBus) {}

  async import(file: ImportFile, options: ImportOptions, onLine: (outcome: LineOutcome) => void = () => {}): Promise<ImportSummary> {
    const started = performance.now();
    const summary: ImportSummary = {
      file: file.name,
      sha256: file.sha256,
      // One per run, so an auditor can find everything this run wrote.
      correlationId: randomUUID(),
      lines: file.lines.length,
      applied: 0,
      replayed: 0,
      rejected: 0,
      eventsAppended: 0,
      elapsedMs: 0,
    };
    const settle = (outcome: LineOutcome) => {
      summary[outcome.status]++;
      if (outcome.status === 'applied') summary.eventsAppended += outcome.events;
      onLine(outcome);
    };
    const principal: Principal = { id: options.actor, role: 'secretariat', partnerships: [] };
    const scheduler = new KeyedScheduler(options.concurrency);
    for (const { number, text } of file.lines) {
      let planned: PlannedLine;
      try {
        planned = planLine(text);
      } catch (error) {
        settle(rejection(number, error));
        continue;
      }
      const context: CommandContext = {
        principal,
        correlationId: summary.correlationId,
        // Per file content and line: re-running the file after an interruption replays what was done.
        idempotency: { key: `import:${file.sha256}:${number}`, requestHash: planned.requestHash },
        source: { file: file.name, sha256: file.sha256, line: number },
      };
      await scheduler.schedule(planned.partnerships, async () => settle(await this.dispatch(number, planned.message(context))));
    }
    await scheduler.drain();
    summary.elapsedMs = performance.now() - started;
    return summary;
  }

  private async dispatch(line: number, message: object): Promise<LineOutcome> {
    try {
      const outcome = await this.commands.execute<object, CommandOutcome>(message);
      return outcome.replayed ? { line, status: 'replayed', events: 0 } : { line, status: 'applied', events: outcome.events.length };
    } catch (error) {
      return rejection(line, error);
    }
  }
}

function rejection(line: number, error: unknown): LineOutcome {
  if (error instanceof RegistryError) return { line, status: 'rejected', kind: error.kind, message: error.message, details: error.details };
  // Not the line's fault (e.g. the store failed): still reported per line, and the import goes on.
  return { line, status: 'rejected', kind: 'internal-error', message: (error as Error)?.message ?? String(error), details: [] };
}
