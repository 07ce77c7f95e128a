import 'reflect-metadata';
import { InvalidConfiguration, loadConfig } from '@registry/config';
import { resolveJwtSecret, TokenService } from '@registry/auth';
import { bootLogger, createApp } from './create-app';

/** Store URLs may carry a password; logs get the rest. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { secret, created } = resolveJwtSecret(config.jwtSecret, config.dataDir);
  const app = await createApp(config, secret);
  await app.listen(config.port, config.host);
  bootLogger.log(`listening on ${await app.getUrl()} (API docs at /docs), events in ${redactUrl(config.eventStoreUrl)}`);
  if (config.readOnly) {
    bootLogger.log(`read-only: serving ${config.replay ? `the replay "${config.replay}" ` : ''}from ${redactUrl(config.readStoreUrl)}; commands get 503, no projector runs`);
  }
  if (created) {
    const token = new TokenService(secret).mint({ id: 'first-secretariat-user', role: 'secretariat' });
    bootLogger.log(
      `created a JWT secret in ${config.dataDir}/jwt-secret. A secretariat token to start with (30 days):\n\n${token}\n\n` +
        'Mint more with: npm run registry -- token --role <secretariat|focal-point|auditor|analyst>',
    );
  }
}

main().catch((error) => {
  if (error instanceof InvalidConfiguration) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
