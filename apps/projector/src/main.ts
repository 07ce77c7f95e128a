import { Logger } from '@nestjs/common';
import { InvalidConfiguration, loadConfig } from '@registry/config';
import { createEventStore } from '@registry/event-store';
import { ProjectorRuntime } from '@registry/projector';
import { allProjections } from '@registry/projections';
import { createReadStore } from '@registry/read-store';

/**
 * The projector as a process of its own, for deployments whose read store is a MongoDB server:
 * the API then only queries, and read models keep up even while the API restarts. With the
 * embedded read store the API runs the projections itself (the store allows one process).
 */
async function main(): Promise<void> {
  const logger = new Logger('Projector');
  const config = loadConfig();
  const events = await createEventStore(config.eventStoreUrl);
  const reads = await createReadStore(config.readStoreUrl);
  const runtime = new ProjectorRuntime(events, reads, allProjections(config.reporting), { batchSize: config.projectorBatchSize });
  await runtime.start();
  logger.log(`projecting ${config.eventStoreUrl.split(':')[0]} events into ${config.readStoreUrl.split(':')[0]} read models`);
  const report = setInterval(async () => {
    for (const { name, position, lagEvents, state } of await runtime.status()) {
      if (state !== 'live' || lagEvents > 0) logger.log(`${name}: ${state} at ${position}, ${lagEvents} events behind`);
    }
  }, 30_000);
  const stop = async (signal: string) => {
    logger.log(`${signal}: stopping after the batch in flight`);
    clearInterval(report);
    await runtime.stop();
    await Promise.all([reads.close(), events.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof InvalidConfiguration ? error.message : error);
  process.exit(1);
});
