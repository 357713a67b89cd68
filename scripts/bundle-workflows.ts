import path from 'node:path';
import { bundleWorkflows } from '../worker/bundle-workflows';

/**
 * `node --import tsx scripts/bundle-workflows.ts <out.js>`: bundles workflows/ once at image build time, so every
 * worker replica starts from that file (KAI_WORKFLOW_BUNDLE) instead of running webpack at boot.
 */
const outFile = process.argv[2];
if (!outFile) {
  console.error('usage: node --import tsx scripts/bundle-workflows.ts <out.js>');
  process.exit(2);
}
bundleWorkflows(path.resolve(outFile)).then(
  (written) => console.error(`workflow bundle written to ${written}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
