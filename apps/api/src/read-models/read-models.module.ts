import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { ReadSideThread, type ReadSide } from '@registry/read-side';
import { SessionCatalog } from '@registry/time-travel';
import { AsOfService, TIME_TRAVEL_ENGINE } from '../time-travel/as-of.service';
import { SessionsController } from '../time-travel/sessions.controller';
import { ComplianceController } from './compliance.controller';
import { OrganisationsController } from './organisations.controller';
import { PartnershipQueriesController } from './partnership-queries.controller';
import { ProjectionsAdminController } from './projections-admin.controller';
import { READ_MODELS, READ_SIDE } from './read-side.tokens';
import { TrendsController } from './trends.controller';

/**
 * Starts the projections with the application, then the as-of engines (in the background: current
 * reads are served at once, as-of reads wait for them), and stops them before the stores close:
 * Nest runs every `onModuleDestroy` before any `onApplicationShutdown`, where they are closed.
 */
@Injectable()
class ReadSideLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
    private readonly asOf: AsOfService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.readSide.start();
    this.asOf.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.asOf.stop();
    await this.readSide.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readSide.close();
  }
}

/**
 * The read side of the API: the read store chosen by `READ_STORE_URL`, the projections keeping
 * every read model up to date from the event log and the as-of engines, all on a thread of their
 * own (`ReadSideThread`), and the query endpoints, which ask that thread.
 *
 * Read-only (`READ_ONLY=true`, or `REPLAY=NAME`): the projections only load their checkpoints
 * (which collections to read) and never write; there are no as-of engines (the store is itself a
 * point in time); `createApp` refuses every write.
 */
@Module({})
export class ReadModelsModule {
  static forRoot(config: RegistryConfig, sessions: SessionCatalog): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        { provide: READ_SIDE, useFactory: () => new ReadSideThread(config) },
        { provide: READ_MODELS, inject: [READ_SIDE], useFactory: (readSide: ReadSide) => readSide.readModels },
        { provide: TIME_TRAVEL_ENGINE, inject: [READ_SIDE], useFactory: (readSide: ReadSide) => readSide.asOf },
        { provide: SessionCatalog, useValue: sessions },
        AsOfService,
        ReadSideLifecycle,
      ],
      controllers: [PartnershipQueriesController, TrendsController, ComplianceController, OrganisationsController, ProjectionsAdminController, SessionsController],
      exports: [READ_MODELS, AsOfService],
    };
  }
}
