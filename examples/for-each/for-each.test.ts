import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';

let api: ApiHarness;
let owner: TestAccount;
beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('loops');
});
afterAll(() => api?.close());

function graphFile(name: string): Record<string, unknown> & { nodes: { id: string; data: { config: Record<string, unknown> } }[] } {
  return JSON.parse(readFileSync(path.join(__dirname, name), 'utf8'));
}

/** Saves and publishes a graph as the README does, over REST; resolves with the workflow id. */
async function publish(name: string, graph: unknown): Promise<string> {
  const created = await api.request('POST', '/api/v1/workflows', { token: owner.token, body: { name, graph } });
  expect(created.status).toBe(201);
  expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token: owner.token })).status).toBe(201);
  return created.body.id;
}

test('the README steps: the loop runs the item workflow over 1,000 items, 10 at a time', async () => {
  const itemWorkflowId = await publish('For Each item', graphFile('item.json'));
  const loop = graphFile('loop.json');
  loop.nodes.find((node) => node.id === 'loop')!.data.config.workflowId = itemWorkflowId;
  const loopWorkflowId = await publish('For Each over 1,000 items', loop);
  const list = Array.from({ length: 1000 }, (_, i) => `row-${i}`);
  const started = await api.request('POST', `/api/v1/workflows/${loopWorkflowId}/runs`, { token: owner.token, body: { inputs: { list }, wait: 60 } });
  expect(started.status).toBe(200);
  expect(started.body.result.output).toEqual({
    succeeded: 1000,
    failed: 0,
    first: { index: 0, item: 'row-0', label: 'item #0: row-0' },
    last: { index: 999, item: 'row-999', label: 'item #999: row-999' },
  });
});
