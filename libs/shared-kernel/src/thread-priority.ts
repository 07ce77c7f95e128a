import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Sets the nice value of the calling thread alone (0 = normal, 19 = lowest), so that work which
 * can wait (read models catching up) yields the cores to work a client waits for (commands).
 * Linux schedules threads as tasks of their own: `/proc/thread-self` names the calling thread's id,
 * which `setpriority` accepts. Elsewhere there is no per-thread nice value: returns false and
 * changes nothing. Raising the nice value needs no privilege.
 */
export function setThreadNice(nice: number): boolean {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false;
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return false;
  setPriority(threadId, nice);
  return true;
}
