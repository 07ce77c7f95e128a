import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { EVENT_STORE, type EventStore } from '@registry/event-store';
import { ProjectorRuntime } from '@registry/projector';
import { allProjections } from '@registry/projections';
import { createReadStore, READ_STORE, type ReadStore } from '@registry/read-store';
import { ComplianceController } from './compliance.controller';
import { OrganisationsController } from './organisations.controller';
import { PartnershipQueriesController } from './partnership-queries.controller';
import { ProjectionsAdminController } from './projections-admin.controller';
import { TrendsController } from './trends.controller';

/**
 * Starts the projections with the application and stops them before the stores close: Nest runs
 * every `onModuleDestroy` before any `onApplicationShutdown`, where the stores are closed.
 */
@Injectable()
class ProjectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    private readonly runtime: ProjectorRuntime,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runtime.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readStore.close();
  }
}

/**
 * The read side in the API process: the read store chosen by `READ_STORE_URL`, the projector
 * runtime keeping every read model up to date from the event log, and the query endpoints.
 */
@Module({})
export class ReadModelsModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        { provide: READ_STORE, useFactory: () => createReadStore(config.readStoreUrl) },
        {
          provide: ProjectorRuntime,
          inject: [EVENT_STORE, READ_STORE, REGISTRY_CONFIG],
          useFactory: (events: EventStore, reads: ReadStore, registry: RegistryConfig) =>
            new ProjectorRuntime(events, reads, allProjections(registry.reporting), { batchSize: registry.projectorBatchSize }),
        },
        ProjectorLifecycle,
      ],
      controllers: [PartnershipQueriesController, TrendsController, ComplianceController, OrganisationsController, ProjectionsAdminController],
      exports: [ProjectorRuntime],
    };
  }
}
