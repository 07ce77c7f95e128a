import { open, rename, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { AsOfIndexDump } from './as-of-index';

/**
 * The as-of index's file: a sequence of frames, each a little-endian uint32 length and a
 * `v8.serialize`d value: a header, one frame per field of the dump (the partnerships in chunks),
 * and a trailer, so that a file cut short (a crash, a full disk) reads as no file and the index
 * is rebuilt from the log rather than loaded half.
 *
 * Written frame by frame, each frame's write asynchronous (so the event loop turns between
 * frames): serialising the whole index in one go and writing it synchronously held the read
 * side's thread for half a second at 10,000 partnerships (whose file is 29 MB; 270 MB at
 * 100,000), which every read-your-writes query behind it waited out.
 */
const FILE_FORMAT = 'as-of-index-file/1';
const PARTNERSHIPS_PER_FRAME = 2000;

type Frame = { format: string } | [keyof AsOfIndexDump, unknown] | { end: true };

/** Writes `dump` to `file` atomically: a temporary file, synced, then renamed. */
export async function writeIndexSnapshot(file: string, dump: AsOfIndexDump): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  const handle = await open(temporary, 'w');
  try {
    const write = async (frame: Frame) => {
      const body = serialize(frame);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(body.length);
      await handle.write(Buffer.concat([length, body]));
    };
    await write({ format: FILE_FORMAT });
    for (const [field, value] of Object.entries(dump) as [keyof AsOfIndexDump, unknown][]) {
      if (field !== 'partnerships') await write([field, value]);
    }
    for (let i = 0; i < dump.partnerships.length; i += PARTNERSHIPS_PER_FRAME) {
      await write(['partnerships', dump.partnerships.slice(i, i + PARTNERSHIPS_PER_FRAME)]);
    }
    await write({ end: true });
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
}

/** The dump in `file`; null when there is none, or it is unreadable, of another format or incomplete. */
export function readIndexSnapshot(file: string): AsOfIndexDump | null {
  if (!existsSync(file)) return null;
  try {
    const bytes = readFileSync(file);
    const fields: Record<string, unknown> = { partnerships: [] };
    let offset = 0;
    let complete = false;
    for (let n = 0; offset < bytes.length; n++) {
      const length = bytes.readUInt32LE(offset);
      const frame = deserialize(bytes.subarray(offset + 4, offset + 4 + length)) as Frame;
      offset += 4 + length;
      if (n === 0) {
        if (!('format' in frame) || frame.format !== FILE_FORMAT) return null;
      } else if ('end' in frame) {
        complete = offset === bytes.length;
        break;
      } else if (Array.isArray(frame)) {
        const [field, value] = frame;
        if (field === 'partnerships') (fields.partnerships as unknown[]).push(...(value as unknown[]));
        else fields[field] = value;
      }
    }
    return complete ? (fields as unknown as AsOfIndexDump) : null;
  } catch {
    return null; // unreadable: rebuilt from the log
  }
}
