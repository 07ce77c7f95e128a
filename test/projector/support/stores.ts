import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@registry/event-store';
import { CHECKPOINTS, type Checkpoint, type Projection, ProjectorRuntime, type ProjectorRuntimeOptions } from '@registry/projector';
import { EmbeddedReadStore } from '@registry/read-store';

/** A SQLite event log and an embedded read store in a temporary directory, reopenable as after a restart. */
export class TestStores {
  readonly directory = mkdtempSync(join(tmpdir(), 'registry-projector-'));
  readonly eventsFile = join(this.directory, 'events.sqlite');
  eventStore = SqliteEventStore.open(this.eventsFile);
  readStore = EmbeddedReadStore.open(this.directory);
  private runtimes: ProjectorRuntime[] = [];

  runtime(projections: Projection[], options?: ProjectorRuntimeOptions): ProjectorRuntime {
    const runtime = new ProjectorRuntime(this.eventStore, this.readStore, projections, options);
    this.runtimes.push(runtime);
    return runtime;
  }

  /** Stops the runtimes and reopens both stores, as a process restart would. */
  async restart(): Promise<void> {
    await this.closeAll();
    this.eventStore = SqliteEventStore.open(this.eventsFile);
    this.readStore = EmbeddedReadStore.open(this.directory);
  }

  checkpoint(name: string): Promise<Checkpoint | null> {
    return this.readStore.collection<Checkpoint>(CHECKPOINTS).findOne({ _id: name });
  }

  async all(collection: string): Promise<{ _id: unknown; count?: unknown }[]> {
    return this.readStore.collection(collection).find({}).toArray();
  }

  async dispose(): Promise<void> {
    await this.closeAll();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async closeAll(): Promise<void> {
    await Promise.all(this.runtimes.map((runtime) => runtime.stop()));
    this.runtimes = [];
    await this.eventStore.close();
    await this.readStore.close();
  }
}
