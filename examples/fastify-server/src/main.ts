import { isCarequeueError } from '@carequeue/core';
import { createLogger } from '@carequeue/core/logger';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { closeOnSignals } from './graceful-shutdown.js';

async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'carequeue-example-fastify-server', level: config.logLevel });
  const app = await buildApp({
    database: await openDatabase(config.dataDir),
    logger,
    logLevel: config.logLevel,
    healthCheckTimeoutMs: config.healthCheckTimeoutMs,
  });
  closeOnSignals({
    source: process,
    close: () => app.close(),
    exit: (code) => process.exit(code),
    logger,
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error: unknown) {
    await app.close();
    throw error;
  }
}

start().catch((error: unknown) => {
  // CareQueue errors carry a message meant for the operator; anything else needs its stack.
  console.error(isCarequeueError(error) ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
});
