import path from 'node:path';

/** Where `npm run build` puts the server `npm start` runs: plain JavaScript, so no TypeScript loader stays in memory. */
export const SERVER_DIST = path.resolve(__dirname, '..', '..', 'dist', 'server');
export const SERVER_ENTRY = path.join(SERVER_DIST, 'start.js');
/** The workflow bundle of that build, loaded by its worker (KAI_WORKFLOW_BUNDLE overrides it). */
export const SERVER_WORKFLOW_BUNDLE = path.join(SERVER_DIST, 'workflow-bundle.js');
