import type { FastifyReply } from 'fastify';
import { CSV_CONTENT_TYPE } from '@registry/time-travel';

/**
 * Whether `Accept` prefers CSV: `text/csv` is listed (q > 0) with a quality at least that of an
 * explicit `application/json`. `*\/*` alone keeps JSON, the default.
 */
export function prefersCsv(accept: string | string[] | undefined): boolean {
  const header = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  let csv = 0;
  let json = 0;
  for (const part of header.split(',')) {
    const [type, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'text/csv') csv = Math.max(csv, q);
    if (type === 'application/json') json = Math.max(json, q);
  }
  return csv > 0 && csv >= json;
}

/** Sends a CSV body: `text/csv; charset=utf-8`, a file name to save it under, `Vary: Accept`. */
export function csvReply(reply: FastifyReply, body: string, fileName: string, headers: Record<string, string> = {}): string {
  void reply.header('content-type', CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="${fileName}"`).header('vary', 'Accept');
  for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
  return body;
}
