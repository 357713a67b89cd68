import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CANVAS_DIST } from '../../api/http/serve-canvas';

/** Debian's Chromium with the flags a headless CI machine needs; no browser is ever downloaded. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Builds web/dist when it is missing (CI builds it on install, through the `prepare` script). Test files run in
 * parallel, so each builds into its own folder and moves it into place; a build that lost the race is dropped.
 */
export function ensureCanvasBuilt(): void {
  if (existsSync(join(CANVAS_DIST, 'index.html'))) return;
  const own = `${CANVAS_DIST}.${process.pid}`;
  const vite = resolve(__dirname, '../../node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', resolve(__dirname, '../vite.config.mts'), '--outDir', own, '--logLevel', 'warn'], { stdio: 'inherit' });
  try {
    renameSync(own, CANVAS_DIST);
  } catch (error) {
    rmSync(own, { recursive: true, force: true });
    if (!existsSync(join(CANVAS_DIST, 'index.html'))) throw error;
  }
}
