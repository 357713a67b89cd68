import { buildServer, serverBuildIsCurrent } from './start/build-server';

/**
 * `npm run build`: compiles the server `npm start` runs into dist/server. With `--if-stale` (as `npm start` runs
 * it) it does nothing when that build is current, so only a first start or changed sources wait for it.
 */
async function main(): Promise<void> {
  if (process.argv.includes('--if-stale') && (await serverBuildIsCurrent())) return;
  const started = Date.now();
  console.error('[kai] building the server into dist/server…');
  await buildServer();
  console.error(`[kai] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
