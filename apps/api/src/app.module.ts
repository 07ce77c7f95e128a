import { Module, type DynamicModule } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { RegistryWriteModule } from '@registry/commands';
import type { SessionCatalog } from '@registry/time-travel';
import { AuthModule } from './auth/auth.module';
import { PartnershipsModule } from './partnerships/partnerships.module';
import { ReadModelsModule } from './read-models/read-models.module';

@Module({})
export class AppModule {
  static forRoot(config: RegistryConfig, jwtSecret: string, sessions: SessionCatalog): DynamicModule {
    return {
      module: AppModule,
      imports: [RegistryWriteModule.forRoot(config), AuthModule.forRoot(jwtSecret), PartnershipsModule, ReadModelsModule.forRoot(config, sessions)],
    };
  }
}
