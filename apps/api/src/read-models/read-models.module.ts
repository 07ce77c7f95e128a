import * as path from 'node:path';
import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { EVENT_STORE, type EventStore } from '@registry/event-store';
import { CHECKPOINTS, ProjectorRuntime, type Checkpoint } from '@registry/projector';
import { allProjections } from '@registry/projections';
import { createReadStore, READ_STORE, type ReadStore } from '@registry/read-store';
import { FrozenEventLog, REPLAY_INFO, SessionCatalog, TimeTravel, type ReplayInfo } from '@registry/time-travel';
import { AsOfService, TIME_TRAVEL_ENGINE } from '../time-travel/as-of.service';
import { SessionsController } from '../time-travel/sessions.controller';
import { ComplianceController } from './compliance.controller';
import { OrganisationsController } from './organisations.controller';
import { PartnershipQueriesController } from './partnership-queries.controller';
import { ProjectionsAdminController } from './projections-admin.controller';
import { TrendsController } from './trends.controller';

/**
 * Starts the projections with the application, then the as-of engines (in the background: current
 * reads are served at once, as-of reads wait for them), and stops them before the stores close:
 * Nest runs every `onModuleDestroy` before any `onApplicationShutdown`, where the stores are closed.
 */
@Injectable()
class ProjectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly asOf: AsOfService,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
    this.asOf.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.asOf.stop();
    await this.runtime.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readStore.close();
  }
}

/**
 * The read side in the API process: the read store chosen by `READ_STORE_URL`, the projector
 * runtime keeping every read model up to date from the event log, the as-of engines
 * (`TimeTravel`) and the query endpoints.
 *
 * Read-only (`READ_ONLY=true`, or `REPLAY=NAME`): the runtime runs over a log with nothing to
 * read, so it only loads the checkpoints (which collections to read) and never writes; there are
 * no as-of engines (the store is itself a point in time); `createApp` refuses every write.
 */
@Module({})
export class ReadModelsModule {
  static forRoot(config: RegistryConfig, sessions: SessionCatalog): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        { provide: READ_STORE, useFactory: () => createReadStore(config.readStoreUrl) },
        { provide: SessionCatalog, useValue: sessions },
        {
          provide: ProjectorRuntime,
          inject: [EVENT_STORE, READ_STORE, REGISTRY_CONFIG],
          useFactory: async (events: EventStore, reads: ReadStore, registry: RegistryConfig) => {
            const options = { batchSize: registry.projectorBatchSize };
            if (!registry.readOnly) return new ProjectorRuntime(events, reads, allProjections(registry.reporting), options);
            return new ProjectorRuntime(new FrozenEventLog(events, await frozenPosition(reads)), reads, allProjections(registry.reporting), options);
          },
        },
        {
          provide: TIME_TRAVEL_ENGINE,
          inject: [EVENT_STORE, ProjectorRuntime, REGISTRY_CONFIG],
          useFactory: (events: EventStore, runtime: ProjectorRuntime, registry: RegistryConfig) =>
            registry.readOnly
              ? null
              : new TimeTravel(events, runtime, { policy: registry.reporting, snapshotFile: path.join(registry.dataDir, 'time-travel-index.snapshot') }),
        },
        AsOfService,
        ProjectorLifecycle,
      ],
      controllers: [PartnershipQueriesController, TrendsController, ComplianceController, OrganisationsController, ProjectionsAdminController, SessionsController],
      exports: [ProjectorRuntime, AsOfService],
    };
  }
}

/** The position a read-only store stands at: its replay's, else the lowest checkpoint. */
async function frozenPosition(reads: ReadStore): Promise<number> {
  const info = await reads.collection<ReplayInfo>(REPLAY_INFO).findOne({ _id: 'replay' });
  if (info) return info.position;
  const checkpoints = await reads.collection<Checkpoint>(CHECKPOINTS).find({}).toArray();
  if (checkpoints.length === 0) new Logger('ReadOnly').warn('the read store has no read models: build one with `registry replay --into NAME`');
  return checkpoints.length === 0 ? 0 : Math.min(...checkpoints.map((checkpoint) => checkpoint.position));
}
