import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { RegistryConfig } from '@registry/config';
import { useBindWithoutDeprecatedProperty } from '@registry/shared-kernel';
import { loadSessions, SessionCatalog } from '@registry/time-travel';
import { AppModule } from './app.module';
import { errorBody } from './http/error-body';
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
  useBindWithoutDeprecatedProperty(); // Fastify binds one per request with a body
  // Reference data is checked before anything opens: a bad sessions file stops the start-up with
  // a message naming the entry and the field (InvalidConfiguration, as for an environment variable).
  const sessions = new SessionCatalog(loadSessions(config.sessionsFile));
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  if (config.readOnly) refuseWrites(adapter, config);
  const logger = config.logLevel === 'silent' ? false : LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel as LogLevel) + 1);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, jwtSecret, sessions), adapter, { logger });
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

/**
 * Read-only mode: every request but GET, HEAD and OPTIONS is refused before routing, with a 503
 * that says why (no Retry-After: retrying will not help; send commands to the registry's main API).
 */
function refuseWrites(adapter: FastifyAdapter, config: RegistryConfig): void {
  const what = config.replay ? `the replay "${config.replay}" (built by registry replay --into ${config.replay})` : 'its read store as it is (READ_ONLY=true)';
  adapter.getInstance().addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    await reply
      .status(503)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBody(503, `this API is read-only: it serves ${what} and accepts no commands; send them to the registry's main API`, [{ field: 'method', rule: 'read-only' }]));
    return reply;
  });
}

export const bootLogger = new Logger('Registry');
