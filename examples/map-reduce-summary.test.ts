import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiHarness, type ApiHarness, type TestAccount } from '../test/api-harness';
import { startOpenAiCompatibleServer, type ChatRequest, type OpenAiCompatibleServer } from '../test/openai-compatible-server';

const DOCUMENTS = [
  { source: 'tides.md', text: 'Tides rise twice a day. The harbour master posts the times at dawn.' },
  { source: 'boats.md', text: 'Small boats moor on the east pier. Larger ones anchor outside the wall.' },
  { source: 'fees.md', text: 'Mooring costs ten euros a night. Members moor for free.' },
];

/** The model: a summary is the document's first sentence; the overview counts the summaries it was given. */
function respond(request: ChatRequest) {
  const prompt = request.messages.at(-1)?.content ?? '';
  if (prompt.startsWith('Combine')) return { content: `Overview of ${prompt.split('\n- ').length - 1} documents.` };
  return { content: prompt.split('\n\n')[1].split('. ')[0] };
}

let api: ApiHarness;
let owner: TestAccount;
let provider: OpenAiCompatibleServer;
beforeAll(async () => {
  [api, provider] = await Promise.all([createApiHarness(), startOpenAiCompatibleServer({ respond })]);
  owner = await api.signUp('map-reduce');
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), provider?.close()]);
});

function graphFile(name: string): { nodes: { id: string; data: { config: Record<string, unknown> } }[] } {
  return JSON.parse(readFileSync(path.join(__dirname, name), 'utf8'));
}

async function publish(name: string, graph: unknown): Promise<string> {
  const created = await api.request('POST', '/api/v1/workflows', { token: owner.token, body: { name, graph } });
  expect({ status: created.status, problems: created.body.problems }).toEqual({ status: 201, problems: [] });
  expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token: owner.token })).status).toBe(201);
  return created.body.id;
}

test('examples/map-reduce-summary.json: For Each summarises every document with LLM Chat, then one LLM Chat combines the summaries', async () => {
  const credential = await api.request('POST', '/api/v1/credentials', { token: owner.token, body: { name: 'Local model', kind: 'openai', data: { apiKey: provider.apiKey, baseUrl: provider.baseUrl } } });
  const mapWorkflowId = await publish('Summarise one document', graphFile('summarise-one.json'));
  const main = graphFile('map-reduce-summary.json');
  main.nodes.find((node) => node.id === 'map')!.data.config.workflowId = mapWorkflowId;
  const mainWorkflowId = await publish('Map-reduce summary', main);

  const inputs = { documents: DOCUMENTS, credentialId: credential.body.id, model: 'local-summariser' };
  const started = await api.request('POST', `/api/v1/workflows/${mainWorkflowId}/runs`, { token: owner.token, body: { inputs, wait: 60 } });
  expect({ status: started.status, runStatus: started.body.status, error: started.body.error }).toEqual({ status: 200, runStatus: 'succeeded', error: null });
  expect(started.body.result.output).toEqual({
    overview: 'Overview of 3 documents.',
    summaries: [
      { source: 'tides.md', summary: 'Tides rise twice a day' },
      { source: 'boats.md', summary: 'Small boats moor on the east pier' },
      { source: 'fees.md', summary: 'Mooring costs ten euros a night' },
    ],
  });
  const combine = provider.chatRequests().find((request) => request.messages.at(-1)?.content?.startsWith('Combine'));
  expect(combine?.messages.at(-1)?.content).toBe(
    'Combine these summaries into one short overview:\n\n- tides.md: Tides rise twice a day\n- boats.md: Small boats moor on the east pier\n- fees.md: Mooring costs ten euros a night',
  );
}, 180_000);
