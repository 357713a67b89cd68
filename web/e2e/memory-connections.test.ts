import { refusalWhileDragging, signedInCanvas } from './canvas-harness';

/** Issue 16: memory nodes connect to an LLM's Memory input only, one at most, and a saved attachment draws as an edge. */
describe('canvas: memory connections', () => {
  const session = signedInCanvas();

  const node = (id: string, type: string, x: number, y: number, config: Record<string, unknown> = {}) => ({ id, type, version: 1, data: { config }, position: { x, y } });

  it("refuses a second memory, a non-memory node in the Memory input and a memory node anywhere else, naming why", async () => {
    const graph = {
      nodes: [
        node('start', 'start', 0, 0),
        node('chat', 'llm-chat', 320, 0, { prompt: '{{ input.q }}' }),
        node('kept', 'memory-buffer-window', 0, 240, { sessionId: 'a' }),
        node('spare', 'memory-summary', 0, 420, { sessionId: 'b' }),
        node('shape', 'set', 640, 240, { values: { a: 1 } }),
      ],
      edges: [
        { id: 'start-chat', source: 'start', target: 'chat' },
        { id: 'kept-chat', source: 'kept', sourceHandle: 'memory', target: 'chat', targetHandle: 'memory' },
      ],
    };
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `memory ${Date.now()}`, graph } });
    expect(created.status).toBe(201);
    const { page } = session.harness;
    await page.goto(`${session.harness.api.url}/workflows/${created.body.id}`);
    await page.getByTestId('node-spare').waitFor();
    await expect(page.locator('.svelte-flow__edge').count()).resolves.toBe(2);

    await expect(refusalWhileDragging(session.harness.page, { node: 'spare', handle: 'memory' }, { node: 'chat', handle: 'memory' })).resolves.toMatch(/LLM Chat's Memory takes 1 connection/);
    await expect(refusalWhileDragging(session.harness.page, { node: 'start' }, { node: 'chat', handle: 'memory' })).resolves.toMatch(/only memory nodes connect to LLM Chat's Memory/);
    await expect(refusalWhileDragging(session.harness.page, { node: 'spare', handle: 'memory' }, { node: 'shape' })).resolves.toMatch(/Summary Memory connects only to an LLM Chat's or Agent's Memory/);

    await expect(page.locator('.svelte-flow__edge').count()).resolves.toBe(2);
    expect(session.harness.pageErrors).toEqual([]);
  });
});
