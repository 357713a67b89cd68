import { startEmbeddedPostgres } from './embedded-postgres';

/**
 * Serves an embedded database from its own process: `node --import tsx db/embedded-postgres-main.ts <dir> <port>`.
 * Prints `{"url": …}` on one stdout line once it accepts connections; stops cleanly on SIGTERM or SIGINT, and when
 * its stdin closes, so a parent that dies without stopping it does not leave it running.
 */
async function main(): Promise<void> {
  const [dir = 'memory://', port = '0'] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dir, port: Number(port) });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= server.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.once('end', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
