import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { Inject } from '@nestjs/common';
import { REGISTRY_CONFIG, replayStoreUrl, REPLAY_NAME, type RegistryConfig } from '@registry/config';
import { EVENT_STORE, type EventStore } from '@registry/event-store';
import { ProjectorRuntime } from '@registry/projector';
import { allProjections } from '@registry/projections';
import { createReadStore, type ReadStore } from '@registry/read-store';
import { isDateOrDateTime, toInstant } from '@registry/shared-kernel';
import { AsOfEventLog, loadSessions, readLog, replayAsOf, REPLAY_INFO, type AsOf, type ReplayInfo } from '@registry/time-travel';
import { Command, Option } from 'nest-commander';
import { CliCommand } from '../cli-command';
import { CliIo, UsageError } from '../cli-io';
import { replayProgress } from './replay-progress';

interface ReplayOptions {
  asOf?: string;
  knownAt?: string;
  session?: string;
  out?: string;
  into?: string;
  replace?: boolean;
}

/**
 * `registry replay`: every read model as it stood at (T, K), either written as JSON Lines files
 * (one per collection) for offline work, or built into a read-store namespace that an API started
 * with `REPLAY=NAME` serves read-only.
 */
@Command({
  name: 'replay',
  description:
    'Every read model as it stood at --as-of T (effective time) and --known-at K (transaction time, default everything recorded): ' +
    'written as JSON Lines into --out DIR (one file per collection), or built into the read-store namespace --into NAME, ' +
    'which an API started with REPLAY=NAME serves read-only.',
})
export class ReplayCommand extends CliCommand {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly io: CliIo,
  ) {
    super();
  }

  async run(_args: string[], options: ReplayOptions): Promise<void> {
    const point = this.point(options);
    if ((options.out === undefined) === (options.into === undefined)) throw new UsageError('say where the replay goes: --out DIR or --into NAME (one of the two)');
    if (options.into !== undefined && !REPLAY_NAME.test(options.into)) throw new UsageError(`option '--into <name>' must be 1-40 letters, digits, _ or -, not "${options.into}"`);
    const started = Date.now();
    const known = point.knownAt === null ? 'everything recorded' : `known at ${point.knownAt}`;
    if (options.out !== undefined) {
      const { files, applied, position } = await this.writeFiles(point, path.resolve(options.out));
      this.io.out(`replayed ${applied} events (up to position ${position}) as of ${point.asOf}, ${known}, into ${files} files in ${path.resolve(options.out)} in ${seconds(started)} s`);
    } else {
      const { url, position } = await this.buildInto(point, options.into!, options.replace === true);
      this.io.out(`replayed every read model as of ${point.asOf}, ${known} (up to position ${position}), into ${redact(url)} in ${seconds(started)} s`);
      this.io.out(`serve it read-only with: REPLAY=${options.into} npm start`);
    }
  }

  /** `--known-at` alone means as of that instant too, as in the API. */
  private point({ asOf, knownAt, session }: ReplayOptions): AsOf {
    if (asOf !== undefined && session !== undefined) throw new UsageError('give --as-of or --session, not both');
    if (asOf === undefined && knownAt === undefined && session === undefined) throw new UsageError('say when: --as-of T (or --session ID), optionally --known-at K');
    for (const [flag, value] of [['--as-of', asOf], ['--known-at', knownAt]] as const) {
      if (value !== undefined && !isDateOrDateTime(value)) throw new UsageError(`option '${flag}' must be a date YYYY-MM-DD or an ISO 8601 date-time with a time zone, not "${value}"`);
    }
    let effective = asOf ?? knownAt!;
    if (session !== undefined) {
      const sessions = loadSessions(this.config.sessionsFile);
      const found = sessions.find((candidate) => candidate.id === session);
      if (!found) throw new UsageError(`option '--session' must be one of ${sessions.map((candidate) => candidate.id).join(', ')}, not "${session}"`);
      effective = found.asOf;
    }
    return { asOf: toInstant(effective), knownAt: knownAt === undefined ? null : toInstant(knownAt) };
  }

  /** One pass over the log on in-memory documents, then one `<collection>.jsonl` per collection and `replay.json`. */
  private async writeFiles(point: AsOf, directory: string): Promise<{ files: number; applied: number; position: number }> {
    const projections = allProjections(this.config.reporting);
    const head = await this.events.headPosition();
    const progress = replayProgress(this.io, 'replay', head);
    const { documents, applied, lastPosition } = await replayAsOf(readLog(this.events), projections, point, {
      onProgress: ({ position }) => progress.update(position),
    }).finally(() => progress.stop());
    fs.mkdirSync(directory, { recursive: true });
    const counts: Record<string, number> = {};
    for (const { name } of projections.flatMap((projection) => projection.collections)) {
      const all = documents.all(name);
      counts[name] = all.length;
      await writeJsonLines(path.join(directory, `${name}.jsonl`), all);
    }
    const info = { asOf: point.asOf, knownAt: point.knownAt, position: lastPosition, events: applied, builtAt: new Date().toISOString(), collections: counts };
    fs.writeFileSync(path.join(directory, 'replay.json'), `${JSON.stringify(info, null, 2)}\n`);
    return { files: Object.keys(counts).length, applied, position: lastPosition };
  }

  /**
   * The projector runtime rebuilds every read model into the namespace, over the log as it stood
   * at the point (`AsOfEventLog`): the same batches, indexes and checkpoints as the live read
   * models, so the API reads a replay exactly as it reads its own store.
   */
  private async buildInto(point: AsOf, name: string, replace: boolean): Promise<{ url: string; position: number }> {
    const url = replayStoreUrl(this.config.readStoreUrl, this.config.dataDir, name);
    let store: ReadStore;
    try {
      store = await createReadStore(url);
    } catch (error) {
      throw new UsageError(`cannot open the replay's read store ${redact(url)} (${(error as Error).message}); an API serving it (REPLAY=${name}) holds it: stop that API first`);
    }
    try {
      const existing = await store.listCollections();
      if (existing.length > 0) {
        if (!replace) throw new UsageError(`the replay "${name}" exists already (${redact(url)}): add --replace to rebuild it, or choose another name`);
        for (const collection of existing) await store.dropCollection(collection);
      }
      const runtime = new ProjectorRuntime(new AsOfEventLog(this.events, point), store, allProjections(this.config.reporting));
      let current = '';
      let progress = replayProgress(this.io, 'replay', 0);
      await runtime.rebuild(undefined, {
        onProgress: ({ projection, applied, head }) => {
          if (projection !== current) {
            progress.stop();
            progress = replayProgress(this.io, `replay ${projection}`, head);
            current = projection;
          }
          progress.update(applied);
        },
      });
      progress.stop();
      const position = Math.min(...(await runtime.status()).map((status) => status.position));
      const info: ReplayInfo = { _id: 'replay', asOf: point.asOf, knownAt: point.knownAt, position, builtAt: new Date().toISOString() };
      await store.commit([{ collection: REPLAY_INFO, operations: [{ replaceOne: { filter: { _id: 'replay' }, replacement: info, upsert: true } }] }]);
      return { url, position };
    } finally {
      await store.close();
    }
  }

  @Option({ flags: '--as-of <instant>', description: 'effective time T: YYYY-MM-DD (00:00 UTC) or an ISO date-time' })
  parseAsOf(value: string): string {
    return value;
  }

  @Option({ flags: '--known-at <instant>', description: 'transaction time K (default: everything recorded); alone, also the as-of instant' })
  parseKnownAt(value: string): string {
    return value;
  }

  @Option({ flags: '--session <id>', description: 'instead of --as-of: a session of the sessions file (its cut-off, else its start)' })
  parseSession(value: string): string {
    return value;
  }

  @Option({ flags: '--out <dir>', description: 'write one <collection>.jsonl per read-model collection, and replay.json, into this directory' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--into <name>', description: 'build into the read-store namespace NAME (embedded: $DATA_DIR/replays/NAME; MongoDB: database <db>_replay_NAME)' })
  parseInto(value: string): string {
    return value;
  }

  @Option({ flags: '--replace', description: 'with --into: rebuild a replay that exists already' })
  parseReplace(): boolean {
    return true;
  }
}

async function writeJsonLines(file: string, documents: readonly object[]): Promise<void> {
  const stream = fs.createWriteStream(file);
  try {
    for (const document of documents) {
      if (!stream.write(`${JSON.stringify(document)}\n`)) await once(stream, 'drain');
    }
  } finally {
    stream.end();
    await once(stream, 'finish');
  }
}

function seconds(started: number): string {
  return ((Date.now() - started) / 1000).toFixed(1);
}

function redact(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}
