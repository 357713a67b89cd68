import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { loadConfig } from '../platform/config';
import { startWorkerHttpServer } from './worker-http-server';

/** The worker's health and metrics server is reachable from this machine only, unless a container says otherwise. */

const running = { getState: () => 'RUNNING' as const };
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function start(host?: string): Promise<number> {
  const server = await startWorkerHttpServer(running, 0, host);
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** This machine's own addresses other than loopback, which another host would use to reach it. */
const outward = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  .filter((entry) => !entry.internal && entry.family === 'IPv4')
  .map((entry) => entry.address);

test('binds 127.0.0.1 by default (KAI_WORKER_HTTP_HOST unset)', async () => {
  expect(loadConfig({}).workerHttpHost).toBe('127.0.0.1');
  const port = await start(loadConfig({}).workerHttpHost);
  expect(servers[0].address()).toMatchObject({ address: '127.0.0.1' });
  expect(await reachable('127.0.0.1', port)).toBe(true);
  for (const address of outward) expect(await reachable(address, port)).toBe(false);
  expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
});

test('binds what KAI_WORKER_HTTP_HOST names, e.g. 0.0.0.0 in a container scraped from outside', async () => {
  const port = await start(loadConfig({ KAI_WORKER_HTTP_HOST: '0.0.0.0' }).workerHttpHost);
  expect(servers[0].address()).toMatchObject({ address: '0.0.0.0' });
  for (const address of outward) expect(await reachable(address, port)).toBe(true);
});
