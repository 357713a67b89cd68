import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  await globalThis.kaiTestServer?.stop();
  if (process.env.KAI_TEST_DIR) await rm(process.env.KAI_TEST_DIR, { recursive: true, force: true });
}
