import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { UsageError } from '../cli-io';

export interface SourceLine {
  /** 1-based, as an editor shows it. */
  number: number;
  text: string;
}

export interface ImportFile {
  name: string;
  /** SHA-256 (hex) of the file's bytes: with the line number, it names a line for ever. */
  sha256: string;
  /** The command lines; blank and comment lines are left out but keep their numbers counted. */
  lines: SourceLine[];
}

/**
 * Reads the whole file once, so the hash recorded on every event is the hash of exactly the
 * bytes that were imported (a file edited during the import cannot be half-attributed).
 */
export async function readImportFile(filePath: string): Promise<ImportFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw new UsageError(`cannot read ${filePath}: ${(error as Error).message}`);
  }
  const lines = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((text, index) => ({ number: index + 1, text }))
    .filter(({ text }) => isCommandLine(text));
  return { name: path.basename(filePath), sha256: createHash('sha256').update(bytes).digest('hex'), lines };
}

/** Blank lines and `#` or `//` comments let people annotate an import file. */
function isCommandLine(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith('//');
}
