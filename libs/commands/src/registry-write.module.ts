import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { REGISTRY_CONFIG, type RegistryConfig } from '@registry/config';
import { createEventStore, EVENT_STORE, type EventStore } from '@registry/event-store';
import { PartnershipCommandExecutor } from './partnership-command-executor';
import { PARTNERSHIP_COMMAND_HANDLERS } from './partnership-command.handlers';
import { PartnershipRepository } from './partnership-repository';

@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * The write side as a module: configuration, the event store chosen by `EVENT_STORE_URL`, and
 * the command handlers on the command bus. The API and the CLI both import it, so a command is
 * handled the same way whichever door it came in by.
 */
@Module({})
export class RegistryWriteModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryWriteModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: REGISTRY_CONFIG, useValue: config },
        { provide: EVENT_STORE, useFactory: () => createEventStore(config.eventStoreUrl) },
        EventStoreLifecycle,
        PartnershipRepository,
        PartnershipCommandExecutor,
        ...PARTNERSHIP_COMMAND_HANDLERS,
      ],
      exports: [REGISTRY_CONFIG, EVENT_STORE, CqrsModule],
    };
  }
}
