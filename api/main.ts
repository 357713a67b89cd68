import { once } from 'node:events';
import { createServer } from 'node:http';
import pino from 'pino';
import { ConfigError, loadConfig } from '../platform/config';
import { startTracing, traceIdsMixin } from '../platform/tracing/tracing';
import { createApp } from './app';
import { startBackgroundJobs } from './background-jobs';
import { buildApiServices, closeApiServices } from './build-services';
import { shutDownSseStreams } from './http/sse-streams';

/** In-flight requests get this long after SIGTERM/SIGINT before their connections are cut. */
const CLOSE_GRACE_MS = 5_000;

/** The API process: serves until SIGINT/SIGTERM, then stops accepting connections and finishes open requests. */
async function main() {
  const config = loadConfig();
  const tracing = config.otlpEndpoint ? startTracing({ serviceName: 'kai-api', endpoint: config.otlpEndpoint }) : undefined;
  const logger = pino({ level: config.logLevel, mixin: traceIdsMixin });
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
      stopBackgroundJobs()
        .then(() => closeApiServices(services))
        .then(() => tracing?.shutdown())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'the API did not close cleanly');
            process.exit(1);
          },
        );
    });
    // Event streams never end on their own: they are told the server is going away, so server.close() can finish.
    const streams = shutDownSseStreams();
    if (streams > 0) logger.info({ streams }, 'closed the open event streams');
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
