import { loadConfig } from '../platform/config';
import { ensureTemporalCli } from '../platform/temporal-cli';

/** `npm run temporal:cli`: prints the Temporal CLI's path, building it into .tools/bin first when none is found. */
async function main() {
  console.log(await ensureTemporalCli(loadConfig().temporal.cliPath));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
