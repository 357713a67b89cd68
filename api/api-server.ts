import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app';
import { startBackgroundJobs } from './background-jobs';
import { shutDownSseStreams } from './http/sse-streams';
import type { ApiServices } from './services';

/** In-flight requests get this long after a stop before their connections are cut. */
const CLOSE_GRACE_MS = 5_000;

export interface ApiServer {
  /**
   * Stops accepting connections, ends open event streams, gives in-flight requests up to 5 s, then stops the
   * background jobs. The services stay open: their owner closes them.
   */
  close(): Promise<void>;
}

/** The API (HTTP server and background jobs) on `port`: what api/main.ts runs alone and `npm start` in its one process. */
export async function startApiServer(services: ApiServices, options: { port: number; logger: Logger }): Promise<ApiServer> {
  const { logger } = options;
  const server = createServer(createApp({ logger, services }));
  server.listen(options.port);
  await once(server, 'listening');
  const stopBackgroundJobs = startBackgroundJobs(services);
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        // Event streams never end on their own: they are told the server is going away, so server.close() can finish.
        const streams = shutDownSseStreams();
        if (streams > 0) logger.info({ streams }, 'closed the open event streams');
      }).then(() => stopBackgroundJobs());
      return closing;
    },
  };
}
