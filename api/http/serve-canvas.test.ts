import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { serveOnLoopback, type LoopbackServer } from '../../test/loopback-server';
import { serveCanvas } from './serve-canvas';

describe('serveCanvas', () => {
  let dist: string;
  let server: LoopbackServer;
  let url: string;

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'kai-canvas-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>canvas</title>');
    await writeFile(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
    const app = express();
    app.use(serveCanvas(dist)!);
    app.use((_request, response) => void response.status(404).json({ error: { code: 'not_found' } }));
    server = await serveOnLoopback(app);
    url = server.url;
  });

  afterAll(async () => {
    await server.close();
    await rm(dist, { recursive: true, force: true });
  });

  it("answers the app's own routes with index.html and serves hashed assets for good", async () => {
    const page = await fetch(`${url}/workflows/abc`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>canvas</title>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('leaves API paths, missing assets and non-HTML requests to the API', async () => {
    for (const path of ['/api/v1/nope', '/api', '/health/deep', '/assets/missing.js']) {
      const response = await fetch(`${url}${path}`, { headers: { accept: 'text/html' } });
      expect([path, response.status]).toEqual([path, 404]);
    }
    expect((await fetch(`${url}/workflows`, { headers: { accept: 'application/json' } })).status).toBe(404);
  });

  it('mounts nothing without a build, so the API still starts', () => {
    expect(serveCanvas(join(dist, 'missing'))).toBeUndefined();
  });
});
