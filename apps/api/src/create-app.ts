import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { RegistryConfig } from '@registry/config';
import { AppModule } from './app.module';
import { InputValidationPipe } from './http/input-validation.pipe';
import { RegistryExceptionFilter } from './http/registry-exception.filter';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface CreateAppOptions {
  /**
   * Serve the Swagger UI at /docs (the OpenAPI JSON is always served). Jest's module loader cannot
   * load the ESM dependencies of @fastify/static, so in-process tests turn it off; the smoke test
   * checks /docs on the built server.
   */
  docsUi?: boolean;
}

/** Builds the HTTP application; `main.ts` listens on it, the end-to-end tests inject into it. */
export async function createApp(config: RegistryConfig, jwtSecret: string, { docsUi = true }: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const logger = config.logLevel === 'silent' ? false : LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel as LogLevel) + 1);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, jwtSecret), adapter, { logger });
  app.useGlobalFilters(new RegistryExceptionFilter());
  app.useGlobalPipes(new InputValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Partnership registry')
      .setDescription('Event-sourced registry of multi-stakeholder partnerships for sustainable development')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', swaggerUiEnabled: docsUi });
  return app;
}

export const bootLogger = new Logger('Registry');
