// The sandbox thread's entry when the sources run as TypeScript (tsx, Jest); the built server has its own compiled
// copy (scripts/start/build-server.ts), so `npm start` loads no TypeScript loader here either.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('./sandbox-thread-main.ts');
