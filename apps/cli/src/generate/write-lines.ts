import type { Writable } from 'node:stream';

/** Lines are joined into chunks of about this size: one write per chunk, not per line. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes `lines` (each ending in a newline) with backpressure: when `write` returns false it
 * waits for `drain` before generating more, so memory stays flat however slow the reader. A
 * reader that goes away (`registry generate … | head`) ends the writing quietly, as with any
 * Unix filter; other stream errors are thrown.
 */
export async function writeLines(out: NodeJS.WritableStream, lines: Iterable<string>): Promise<void> {
  let failure: (Error & { code?: string }) | undefined;
  // Left attached: an EPIPE of the last chunk may be emitted after we return.
  out.on('error', (error: Error) => {
    failure ??= error;
  });
  const stopped = () => failure !== undefined || (out as Partial<Writable>).destroyed === true;

  let chunk = '';
  const flush = async () => {
    const more = out.write(chunk);
    chunk = '';
    if (!more && !stopped()) await drained(out);
  };
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_BYTES) {
      await flush();
      if (stopped()) break;
    }
  }
  if (chunk !== '' && !stopped()) await flush();
  if (failure && failure.code !== 'EPIPE') throw failure;
}

/** Resolves on `drain`, or when the stream fails or closes (then no `drain` will come). */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
    out.on('close', done);
  });
}
