import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (request: IncomingMessage & { body: string }, response: ServerResponse, hit: number) => void | Promise<void>;

export interface HttpFixture {
  url: string;
  /** How many requests reached `path` (query string ignored). */
  hits(path: string): number;
  route(path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

/** A real HTTP server on loopback whose routes the test programs and whose hits it counts. */
export async function startHttpFixture(): Promise<HttpFixture> {
  const routes = new Map<string, RouteHandler>();
  const counts = new Map<string, number>();
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const handler = routes.get(path);
    if (!handler) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no such route' }));
      return;
    }
    await handler(Object.assign(request, { body: Buffer.concat(chunks).toString() }), response, hit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: (path) => counts.get(path) ?? 0,
    route: (path, handler) => void routes.set(path, handler),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
