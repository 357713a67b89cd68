import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Worker } from '@temporalio/worker';
import { workerRegistry } from '../platform/metrics/worker-metrics';

/**
 * The worker's own small HTTP server: GET /health answers 200 while the worker runs (503 once it drains or
 * fails), GET /metrics serves its Prometheus series. Bound on loopback unless told otherwise (KAI_WORKER_HTTP_HOST):
 * a container whose metrics are scraped from another one binds 0.0.0.0.
 */
export async function startWorkerHttpServer(worker: Pick<Worker, 'getState'>, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (request.method === 'GET' && path === '/health') {
      const state = worker.getState();
      response.writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: state === 'RUNNING' ? 'ok' : 'unavailable', state }));
      return;
    }
    if (request.method === 'GET' && path === '/metrics') {
      workerRegistry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': workerRegistry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: `no route for ${request.method} ${path}` } }));
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
