import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TokenService } from '@registry/auth';
import { loadConfig } from '@registry/config';
import { EVENT_STORE, type EventStore } from '@registry/event-store';
import type { Role } from '@registry/shared-kernel';
import { createApp } from '../../../apps/api/src/create-app';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  store: EventStore;
  dataDir: string;
  token(role: Role, partnerships?: string[], id?: string): string;
  request(options: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    url: string;
    token?: string | null;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  }): Promise<{ statusCode: number; headers: Record<string, string | string[] | number | undefined>; json: any }>;
  close(): Promise<void>;
}

/** The real application on a fresh SQLite file, driven through Fastify's full request pipeline. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config, SECRET, { docsUi: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const tokens = new TokenService(SECRET);
  const secretariat = tokens.mint({ id: 'secretariat-user', role: 'secretariat' });
  return {
    app,
    store: app.get<EventStore>(EVENT_STORE),
    dataDir,
    token: (role, partnerships, id = `${role}-user`) => tokens.mint({ id, role, partnerships }),
    async request({ method, url, token = secretariat, body, rawBody, headers = {} }) {
      const response = await app.inject({
        method,
        url,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      let json: unknown;
      try {
        json = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        json = response.body;
      }
      return { statusCode: response.statusCode, headers: response.headers, json };
    },
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
