import { serveOnLoopback, type LoopbackServer } from '../../test/loopback-server';
import { fetchScope } from './scoped-global-fetch';

/** The global fetch is the scope's only inside `run`, concurrent calls outside keep Node's, and a lost cause comes back. */

let server: LoopbackServer;
beforeAll(async () => {
  server = await serveOnLoopback((_req, res) => res.end('from the network'));
});
afterAll(() => server.close());

const answering = (text: string): typeof fetch => async () => new Response(text);

test("inside run the global fetch is the scope's, outside and in concurrent calls it is Node's", async () => {
  const scope = fetchScope(answering('from the scope'));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const inside = scope.run(async () => {
    await held;
    return (await fetch(server.url)).text();
  });
  // While the scoped call is in flight, a call outside it reaches the network.
  expect(await (await fetch(server.url)).text()).toBe('from the network');
  release();
  expect(await inside).toBe('from the scope');
  expect(await (await fetch(server.url)).text()).toBe('from the network');
});

test("an SDK error that drops the fetch's failure gets it back as its cause", async () => {
  const refusal = new Error('outbound request refused');
  const scope = fetchScope(async () => Promise.reject(refusal));
  // What Google's SDK does with a failed fetch: a new error with the message, and no cause.
  const sdkCall = () => fetch(server.url).catch((error: Error) => Promise.reject(new Error(`Error fetching from ${server.url}: ${error.message}`)));
  const error = (await scope.run(sdkCall).catch((caught: unknown) => caught)) as Error;
  expect(error.message).toBe(`Error fetching from ${server.url}: outbound request refused`);
  expect(error.cause).toBe(refusal);
});
