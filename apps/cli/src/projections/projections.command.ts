import { Inject } from '@nestjs/common';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { EVENT_STORE, type EventStore } from '@registry/event-store';
import { CHECKPOINTS, ProjectorRuntime, type Checkpoint } from '@registry/projector';
import { allProjections } from '@registry/projections';
import { createReadStore, type ReadStore } from '@registry/read-store';
import { Command, SubCommand } from 'nest-commander';
import { CliCommand } from '../cli-command';
import { CliIo, UsageError } from '../cli-io';

/** Opens the read store for one command; the embedded one is locked while the API runs. */
async function withReadStore<T>(config: RegistryConfig, use: (store: ReadStore) => Promise<T>): Promise<T> {
  let store: ReadStore;
  try {
    store = await createReadStore(config.readStoreUrl);
  } catch (error) {
    throw new UsageError(
      `cannot open the read store (${(error as Error).message}). With the embedded store, the running API holds it: ` +
        'stop the API, or ask it with GET /admin/projections',
    );
  }
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

@SubCommand({ name: 'status', description: 'Each read model: version, checkpoint, lag behind the event log' })
export class ProjectionsStatusCommand extends CliCommand {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly io: CliIo,
  ) {
    super();
  }

  async run(): Promise<void> {
    const head = await this.events.headPosition();
    const rows = await withReadStore(this.config, async (store) => {
      const checkpoints = store.collection<Checkpoint & { _id: string }>(CHECKPOINTS);
      return Promise.all(
        allProjections(this.config.reporting).map(async ({ name, version }) => {
          const checkpoint = await checkpoints.findOne({ _id: name });
          const position = checkpoint?.position ?? 0;
          const state = checkpoint?.activeVersion == null ? 'never built' : checkpoint.activeVersion !== version ? 'rebuild on next start' : 'ok';
          return [name, String(version), String(checkpoint?.activeVersion ?? '-'), String(position), String(head - position), state];
        }),
      );
    });
    const table = [['projection', 'version', 'active', 'position', 'lag', 'state'], ...rows];
    const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
    for (const row of table) this.io.out(row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
    this.io.out(`event log head: ${head}`);
  }
}

@SubCommand({ name: 'rebuild', arguments: '[name]', description: 'Rebuild one read model (or all) from the start of the log, with progress' })
export class ProjectionsRebuildCommand extends CliCommand {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly io: CliIo,
  ) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    const projections = allProjections(this.config.reporting);
    if (name !== undefined && !projections.some((projection) => projection.name === name)) {
      throw new UsageError(`no read model is named "${name}"; there are ${projections.map((p) => p.name).join(', ')}`);
    }
    await withReadStore(this.config, async (store) => {
      const runtime = new ProjectorRuntime(this.events, store, projections, { batchSize: this.config.projectorBatchSize });
      // The projections are rebuilt together: one bar each.
      const width = Math.max(...projections.map((projection) => projection.name.length));
      const bars = this.io.interactive
        ? new MultiBar({ stream: this.io.stderr, format: 'rebuild {projection} |{bar}| {value}/{total} events | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic)
        : null;
      const started = Date.now();
      const rebuilding = new Map<string, SingleBar | null>();
      try {
        await runtime.rebuild(name, {
          onProgress: ({ projection, applied, head }) => {
            let bar = rebuilding.get(projection);
            if (bar === undefined) {
              bar = bars?.create(head, applied, { projection: projection.padEnd(width) }) ?? null;
              if (!bar) this.io.err(`rebuilding ${projection} (${head} events)`);
              rebuilding.set(projection, bar);
            }
            bar?.setTotal(head);
            bar?.update(applied);
          },
        });
      } finally {
        bars?.stop();
      }
      this.io.out(`rebuilt ${name ?? 'every read model'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
  }
}

@Command({ name: 'projections', description: 'Read models: status | rebuild [name]', subCommands: [ProjectionsStatusCommand, ProjectionsRebuildCommand] })
export class ProjectionsCommand extends CliCommand {
  constructor(private readonly io: CliIo) {
    super();
  }

  async run(): Promise<void> {
    throw new UsageError('say what to do: registry projections status | rebuild [name]');
  }
}
