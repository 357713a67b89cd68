import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { startDevServer, type DevServer } from '../platform/dev-server';
import { bundleWorkflows } from '../worker/bundle-workflows';

declare global {
  var kaiTestServer: DevServer | undefined;
}

/** One real Temporal dev server (in-memory, free port) and one workflow bundle for the whole test run. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'kai-test-'));
  const [server, bundle] = await Promise.all([
    ensureTemporalCli().then((cliPath) => startDevServer({ cliPath, port: 0 })),
    bundleWorkflows(path.join(dir, 'workflow-bundle.js')),
  ]);
  globalThis.kaiTestServer = server;
  process.env.KAI_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.KAI_TEST_WORKFLOW_BUNDLE = bundle;
  process.env.KAI_TEST_DIR = dir;
  console.log(`\nTemporal dev server at ${server.address}; workflows bundled (${Date.now() - started} ms)`);
}
