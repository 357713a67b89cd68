import { signedInCanvas } from './canvas-harness';

/** Issue 15: auto-layout keeps the order of a node's outputs (True above False, Approval's outputs in turn). */
describe('canvas: auto-layout', () => {
  const session = signedInCanvas();

  it("lays a Condition's True branch above its False one and an Approval's outputs in their order, though drawn the other way", async () => {
    const { page } = session.harness;
    const node = (id: string, type: string, y: number, config: Record<string, unknown> = {}) => ({ id, type, version: 1, data: { config }, position: { x: 0, y } });
    const set = (id: string, y: number) => node(id, 'set', y, { values: { a: 1 } });
    const graph = {
      nodes: [
        node('start', 'start', 0),
        node('check', 'condition', 100, { rules: [{ left: '1', operator: 'equals', right: '1' }] }),
        set('when_false', 200),
        set('when_true', 300),
        node('ask', 'approval', 400),
        set('timed_out', 500),
        set('rejected', 600),
        set('approved', 700),
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'check' },
        { id: 'e2', source: 'check', sourceHandle: 'false', target: 'when_false' },
        { id: 'e3', source: 'check', sourceHandle: 'true', target: 'when_true' },
        { id: 'e4', source: 'when_true', target: 'ask' },
        { id: 'e5', source: 'ask', sourceHandle: 'timeout', target: 'timed_out' },
        { id: 'e6', source: 'ask', sourceHandle: 'rejected', target: 'rejected' },
        { id: 'e7', source: 'ask', sourceHandle: 'approved', target: 'approved' },
      ],
    };
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `layout ${Date.now()}`, graph } });
    expect(created.status).toBe(201);
    await page.goto(`${session.harness.api.url}/workflows/${created.body.id}`);
    await page.getByTestId('node-approved').waitFor();

    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.getByTestId('draft-state').filter({ hasText: 'unsaved changes' }).waitFor();
    await page.getByTestId('save').click();
    await page.getByTestId('draft-state').filter({ hasText: /^saved/ }).waitFor();
    const saved = await session.harness.api.request('GET', `/api/v1/workflows/${created.body.id}`, { token: session.token });
    const at = new Map<string, { x: number; y: number }>(saved.body.graph.nodes.map((each: { id: string; position: { x: number; y: number } }) => [each.id, each.position]));
    const y = (id: string) => at.get(id)!.y;
    expect(y('when_true')).toBeLessThan(y('when_false'));
    expect(y('approved')).toBeLessThan(y('rejected'));
    expect(y('rejected')).toBeLessThan(y('timed_out'));
    expect(at.get('check')!.x).toBeLessThan(at.get('when_true')!.x);
    expect(at.get('ask')!.x).toBeLessThan(at.get('approved')!.x);
    expect(session.harness.pageErrors).toEqual([]);
  });
});
