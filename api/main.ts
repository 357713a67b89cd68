import pino from 'pino';
import { ConfigError, loadConfig } from '../platform/config';
import { startTracing, traceIdsMixin } from '../platform/tracing/tracing';
import { startApiServer } from './api-server';
import { buildApiServices, closeApiServices } from './build-services';

/** The API process: serves until SIGINT/SIGTERM, then stops accepting connections and finishes open requests. */
async function main() {
  const config = loadConfig();
  const tracing = config.otlpEndpoint ? startTracing({ serviceName: 'kai-api', endpoint: config.otlpEndpoint }) : undefined;
  const logger = pino({ level: config.logLevel, mixin: traceIdsMixin });
  const services = await buildApiServices(config, logger);
  const api = await startApiServer(services, { port: config.port, logger });
  logger.info(`API listening on http://localhost:${config.port}`);

  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: closing the API`);
    api
      .close()
      .then(() => closeApiServices(services))
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'the API did not close cleanly');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
