import type { ImportSummary, LineOutcome } from './jsonl-importer';

type Rejection = Extract<LineOutcome, { status: 'rejected' }>;

/** `line N: <kind> <field> <rule>: <message>`, one per offending field. */
export function rejectionLines(outcome: Rejection): string[] {
  const details = outcome.details.length > 0 ? outcome.details : [{ field: '', rule: 'error', message: outcome.message }];
  return details.map(({ field, rule, message }) => `line ${outcome.line}: ${outcome.kind} ${field || '-'} ${rule}: ${message ?? outcome.message}`);
}

export function summaryLines(summary: ImportSummary): string[] {
  return [
    `${summary.file} (sha256 ${summary.sha256}), correlation id ${summary.correlationId}`,
    `${summary.lines} lines: ${summary.applied} applied, ${summary.replayed} replayed, ${summary.rejected} rejected; ` +
      `${summary.eventsAppended} events appended in ${(summary.elapsedMs / 1000).toFixed(2)} s`,
  ];
}
