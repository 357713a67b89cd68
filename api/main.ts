import { once } from 'node:events';
import { createServer } from 'node:http';
import pino from 'pino';
import { ConfigError, loadConfig } from '../platform/config';
import { createApp } from './app';
import { startBackgroundJobs } from './background-jobs';
import { buildApiServices, closeApiServices } from './build-services';

/** In-flight requests get this long after SIGTERM/SIGINT before their connections are cut. */
const CLOSE_GRACE_MS = 5_000;

/** The API process: serves until SIGINT/SIGTERM, then stops accepting connections and finishes open requests. */
async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const services = await buildApiServices(config, logger);
  const server = createServer(createApp({ logger, services }));
  const stopBackgroundJobs = startBackgroundJobs(services);
  server.listen(config.port);
  await once(server, 'listening');
  logger.info(`API listening on http://localhost:${config.port}`);

  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: closing the API`);
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(cut);
      void stopBackgroundJobs().then(() => closeApiServices(services));
    });
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
