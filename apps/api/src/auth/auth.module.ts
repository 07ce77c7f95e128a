import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TokenService } from '@registry/auth';
import { BearerAuthGuard } from './bearer-auth.guard';

@Global()
@Module({})
export class AuthModule {
  static forRoot(jwtSecret: string): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: TokenService, useValue: new TokenService(jwtSecret) }, { provide: APP_GUARD, useClass: BearerAuthGuard }],
      exports: [TokenService],
    };
  }
}
