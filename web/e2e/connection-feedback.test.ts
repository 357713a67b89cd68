import { refusalWhileDragging, signedInCanvas } from './canvas-harness';

/** Issue 15: a connection the canvas refuses says why while it is dragged, and every node of a loop is marked. */
describe('canvas: connection feedback', () => {
  const session = signedInCanvas();

  const start = { id: 'start', type: 'start', version: 1, data: { config: {} }, position: { x: 0, y: 0 } };
  const node = (id: string, type: string, x: number, y = 0) => ({ id, type, version: 1, data: { config: type === 'set' ? { values: { a: 1 } } : {} }, position: { x, y } });
  const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });

  async function open(graph: unknown): Promise<void> {
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `connections ${Date.now()}`, graph } });
    expect(created.status).toBe(201);
    await session.harness.page.goto(`${session.harness.api.url}/workflows/${created.body.id}`);
    await session.harness.page.getByTestId('palette').waitFor();
  }

  it('says why a Set cannot feed an Agent’s Tools, a node itself, or a node that leads to it, and draws none of them', async () => {
    await open({
      nodes: [start, node('first', 'set', 280), node('second', 'set', 560), node('helper', 'agent', 560, 220)],
      edges: [edge('start', 'first'), edge('first', 'second')],
    });
    const { page } = session.harness;
    await page.getByTestId('node-helper').waitFor();

    await expect(refusalWhileDragging(session.harness.page, { node: 'first' }, { node: 'helper', handle: 'tools' })).resolves.toMatch(/only tool nodes connect to Agent's Tools/);
    await expect(refusalWhileDragging(session.harness.page, { node: 'second' }, { node: 'second' })).resolves.toMatch(/cannot connect to itself/);
    await expect(refusalWhileDragging(session.harness.page, { node: 'second' }, { node: 'first' })).resolves.toMatch(/first already leads to second: this connection would close a loop/);

    await expect(page.locator('.svelte-flow__edge').count()).resolves.toBe(2);
    await expect(page.getByTestId('draft-state').innerText()).resolves.not.toMatch(/unsaved/);
    expect(session.harness.pageErrors).toEqual([]);
  });

  it('marks every node of a loop in a loaded graph, and no other', async () => {
    await open({
      nodes: [start, node('a', 'set', 280), node('b', 'set', 560), node('c', 'set', 560, 220), node('after', 'set', 840)],
      edges: [edge('start', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('b', 'after')],
    });
    const { page } = session.harness;
    for (const id of ['a', 'b', 'c']) await page.getByTestId(`node-cycle-${id}`).waitFor();
    await expect(page.locator('[data-testid^="node-cycle-"]').count()).resolves.toBe(3);
    expect(session.harness.pageErrors).toEqual([]);
  });
});
