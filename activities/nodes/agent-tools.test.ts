import { WorkflowFailedError } from '@temporalio/client';
import type { GraphInput } from '../../engine/graph';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { serveMediaWiki } from '../../test/mediawiki-fixture';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { createTemporalHarness, quietRuntime, type TemporalHarness } from '../../test/temporal-harness';
import { runStateQuery } from '../../workflows/messages';
import type { CredentialResolver } from '../credential-kinds';

/** Wikipedia, Calculator and Code as nodes and as an Agent's tools, against a local MediaWiki API and model server. */

let provider: OpenAiCompatibleServer;
let wiki: HttpFixture;
let temporal: TemporalHarness;
let userAgents: string[];

const CORPUS = [
  { title: 'Ada Lovelace', intro: 'Ada Lovelace was an English mathematician who wrote the first published algorithm for the Analytical Engine.' },
  { title: 'Analytical Engine', intro: `The Analytical Engine was a proposed mechanical general-purpose computer. ${'It had a mill and a store. '.repeat(40)}` },
  { title: 'Lovelace (crater)', intro: 'Lovelace is a lunar impact crater named after Ada Lovelace.' },
];

beforeAll(async () => {
  // Failing nodes on purpose makes the SDK warn at each failure.
  quietRuntime('ERROR');
  [provider, wiki] = await Promise.all([startOpenAiCompatibleServer({ apiKey: 'sk-local' }), startHttpFixture()]);
  ({ userAgents } = serveMediaWiki(wiki, CORPUS));
  wiki.route('/down/w/api.php', (_request, response) => void response.writeHead(503).end('maintenance'));
  const credentials: CredentialResolver = { resolve: async () => ({ id: 'llm', name: 'Local model', kind: 'openai', data: { apiKey: 'sk-local', baseUrl: provider.baseUrl } }) };
  temporal = await createTemporalHarness({ credentials });
}, 60_000);
afterAll(async () => {
  await temporal?.close();
  await Promise.all([provider?.close(), wiki?.close()]);
});

function single(type: string, config: Record<string, unknown>, settings = {}): GraphInput {
  return { nodes: [node('start', 'start'), node('n', type, config, settings), node('end', 'end')], edges: [edge('start', 'n'), edge('n', 'end')] };
}

async function failure(graph: GraphInput) {
  const handle = await temporal.start(graph);
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  return (await handle.query(runStateQuery)).nodes.n;
}

test('Wikipedia searches, reads the introductions in relevance order, cuts them, and retries an unavailable wiki', async () => {
  const { output } = await temporal.run(single('wikipedia', { query: 'Lovelace', maxResults: 2, maxCharacters: 100, baseUrl: wiki.url }));
  expect(output).toEqual({
    query: 'Lovelace',
    results: [
      { title: 'Ada Lovelace', url: `${wiki.url}/wiki/Ada_Lovelace`, extract: `${CORPUS[0].intro.slice(0, 99)}…` },
      { title: 'Lovelace (crater)', url: `${wiki.url}/wiki/Lovelace_(crater)`, extract: CORPUS[2].intro },
    ],
  });
  expect(userAgents.at(-1)).toMatch(/^KAI-Fusion/);
  expect((await temporal.run(single('wikipedia', { query: 'zebra', baseUrl: wiki.url }))).output).toEqual({ query: 'zebra', results: [] });

  const down = await failure(single('wikipedia', { query: 'x', baseUrl: `${wiki.url}/down` }, { retry: { maximumAttempts: 2, initialInterval: '100ms' } }));
  expect(down).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'HttpServerError', message: expect.stringContaining('/down/w/api.php answered 503') } });
  const missing = await failure(single('wikipedia', { query: 'x', baseUrl: `${wiki.url}/nowhere` }, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }));
  expect(missing).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpClientError' } });
});

test('Calculator evaluates with mathjs and refuses what its locked-down instance disables, at once', async () => {
  expect((await temporal.run(single('calculator', { expression: 'a = 3; b = 4; sqrt(a^2 + b^2) * 2' }))).output).toEqual({ expression: 'a = 3; b = 4; sqrt(a^2 + b^2) * 2', result: '10', value: 10 });
  expect((await temporal.run(single('calculator', { expression: '5 cm to inch' }))).output).toMatchObject({ result: '1.9685039370079 inch' });
  for (const [expression, message] of [
    ['ones(100000000)', 'function ones is not available'],
    ['1:1e9', 'function range is not available'],
    ['import({x: 1}, {})', 'function import is not available'],
    ['cos.constructor("return process")()', 'Value expected'],
  ]) {
    const failed = await failure(single('calculator', { expression }, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }));
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'InvalidExpression', message: expect.stringContaining(message) } });
  }
});

test('an Agent calls Calculator, Wikipedia and Code as tools with the arguments the model chose', async () => {
  const tools = [
    node('calc', 'calculator'),
    node('wiki', 'wikipedia', { baseUrl: wiki.url, maxResults: 1 }),
    node('code', 'code', { code: 'return { words: $input.text.split(" ").length };' }),
  ];
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('agent', 'agent', { credentialId: 'llm', model: 'm', prompt: 'Research Ada.' }), ...tools, node('end', 'end')],
    edges: [edge('start', 'agent'), ...tools.map((tool) => edge(tool.id, 'agent', 'out', 'tools')), edge('agent', 'end')],
  };
  provider.enqueueChat(
    {
      toolCalls: [
        { name: 'Calculator', arguments: { expression: '1815 + 36' } },
        { name: 'Wikipedia', arguments: { query: 'Ada Lovelace' } },
        { name: 'Code', arguments: { input: { text: 'the first published algorithm' } } },
      ],
    },
    { content: 'Done.' },
  );
  const { output } = await temporal.run(graph);
  expect(output).toMatchObject({ answer: 'Done.', iterations: 2 });
  const offered = provider.chatRequests().at(-2)!.tools!.map((tool) => [tool.function.name, tool.function.parameters]);
  expect(offered.map(([name]) => name)).toEqual(['Calculator', 'Wikipedia', 'Code']);
  // Plain JSON Schema: strict OpenAI-compatible servers take nothing else as a function's parameters.
  expect(JSON.stringify(offered)).not.toMatch(/"type":\[|propertyNames/);
  const results = provider
    .chatRequests()
    .at(-1)!
    .messages.filter((message) => message.role === 'tool')
    .map((message) => JSON.parse(message.content ?? 'null') as unknown);
  expect(results).toEqual([
    { expression: '1815 + 36', result: '1851', value: 1851 },
    { query: 'Ada Lovelace', results: [{ title: 'Ada Lovelace', url: `${wiki.url}/wiki/Ada_Lovelace`, extract: CORPUS[0].intro }] },
    { result: { words: 4 }, logs: [], logsTruncated: false },
  ]);
});
