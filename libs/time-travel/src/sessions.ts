import * as fs from 'node:fs';
import { InvalidConfiguration } from '@registry/config';
import type { Instant } from '@registry/domain';
import { isDateOrDateTime, toInstant } from '@registry/shared-kernel';

/**
 * A session (or milestone) of the bodies the registry reports to: reference data, loaded from
 * the JSON file `SESSIONS_FILE` names (default `config/sessions.json`), so that a deployment adds
 * or corrects sessions without a code change. A milestone (a single day, e.g. the adoption of the
 * Minamata Convention) is a session whose `start` equals its `end`.
 */
export interface Session {
  /** What `session=` takes, e.g. `CSD-18`. */
  id: string;
  name: string;
  /** First day (YYYY-MM-DD, or an ISO date-time). */
  start: string;
  /** Last day; equal to `start` for a milestone. */
  end: string;
  /** The date the session's documents were cut off (the CSD-18 report: 2010-02-01), if any. */
  cutOff?: string;
}

/** A session with the instant `session=<id>` stands for. */
export interface ResolvedSession extends Session {
  /** `cutOff` when there is one, else `start`, as an instant (a bare date is 00:00 UTC). */
  asOf: Instant;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FIELDS = new Set(['id', 'name', 'start', 'end', 'cutOff']);

/** The instant a session stands for in an as-of query: its cut-off date if any, else its start. */
export function sessionAsOf(session: Session): Instant {
  return toInstant(session.cutOff ?? session.start);
}

/**
 * Checks a parsed sessions file: `{ "sessions": [ … ] }` (other top-level fields, such as a
 * `description`, are ignored) or a bare array. Throws `InvalidConfiguration` naming the file, the
 * entry (index and id) and the field of every problem.
 */
export function parseSessions(content: unknown, source = 'sessions file'): ResolvedSession[] {
  const entries = Array.isArray(content) ? content : (content as { sessions?: unknown } | null)?.sessions;
  if (!Array.isArray(entries)) {
    throw new InvalidConfiguration(`Invalid configuration:\n- SESSIONS_FILE: ${source} must hold a JSON array of sessions or an object {"sessions": [...]}`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const sessions: ResolvedSession[] = [];
  entries.forEach((entry: unknown, index) => {
    const where = (field: string) =>
      `${source}: sessions[${index}]${typeof (entry as Session)?.id === 'string' ? ` (${(entry as Session).id})` : ''}.${field}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${source}: sessions[${index}] must be an object {id, name, start, end, cutOff?}`);
      return;
    }
    const candidate = entry as Record<string, unknown>;
    const before = problems.length;
    for (const field of Object.keys(candidate)) {
      if (!FIELDS.has(field)) problems.push(`${where(field)} is not a known field (id, name, start, end, cutOff)`);
    }
    if (typeof candidate.id !== 'string' || !ID.test(candidate.id)) {
      problems.push(`${where('id')} must be 1-64 letters, digits, '.', '_' or '-' (e.g. CSD-18)`);
    } else if (seen.has(candidate.id)) {
      problems.push(`${where('id')} is a duplicate: ids must be unique`);
    } else {
      seen.add(candidate.id);
    }
    if (typeof candidate.name !== 'string' || candidate.name.trim() === '') problems.push(`${where('name')} must be a non-empty string`);
    for (const field of ['start', 'end'] as const) {
      if (!isDateOrDateTime(candidate[field])) problems.push(`${where(field)} must be a date YYYY-MM-DD (or an ISO date-time with an offset)`);
    }
    if (candidate.cutOff !== undefined && !isDateOrDateTime(candidate.cutOff)) {
      problems.push(`${where('cutOff')} must be a date YYYY-MM-DD (or an ISO date-time with an offset) when present`);
    }
    if (isDateOrDateTime(candidate.start) && isDateOrDateTime(candidate.end) && Date.parse(toInstant(candidate.end)) < Date.parse(toInstant(candidate.start))) {
      problems.push(`${where('end')} must not be before start (${candidate.start})`);
    }
    if (problems.length > before) return;
    const session: Session = {
      id: candidate.id as string,
      name: candidate.name as string,
      start: candidate.start as string,
      end: candidate.end as string,
      ...(candidate.cutOff !== undefined && { cutOff: candidate.cutOff as string }),
    };
    sessions.push({ ...session, asOf: sessionAsOf(session) });
  });
  if (problems.length > 0) throw new InvalidConfiguration(`Invalid configuration (SESSIONS_FILE):\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  return sessions;
}

/** Reads and checks the sessions file at start-up (see `parseSessions`). */
export function loadSessions(file: string): ResolvedSession[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidConfiguration(`Invalid configuration:\n- SESSIONS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new InvalidConfiguration(`Invalid configuration:\n- SESSIONS_FILE: ${file} is not valid JSON (${(error as Error).message})`);
  }
  return parseSessions(content, file);
}

/** The sessions of a deployment, looked up by id. */
export class SessionCatalog {
  private readonly byId: Map<string, ResolvedSession>;

  constructor(readonly sessions: readonly ResolvedSession[]) {
    this.byId = new Map(sessions.map((session) => [session.id, session]));
  }

  get(id: string): ResolvedSession | undefined {
    return this.byId.get(id);
  }

  get ids(): string[] {
    return this.sessions.map((session) => session.id);
  }
}
