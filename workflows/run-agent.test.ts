import { WorkflowFailedError } from '@temporalio/client';
import type { GraphInput } from '../engine/graph';
import type { RunEvent } from '../engine/run-state';
import { startRun } from '../platform/start-run';
import { KAI_TRIGGER, KAI_WORKFLOW_ID } from '../platform/search-attributes';
import { createApiHarness, type ApiHarness, type TestAccount } from '../test/api-harness';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { startOpenAiCompatibleServer, type ChatRequest, type OpenAiCompatibleServer } from '../test/openai-compatible-server';
import { createPublishedWorkflow } from '../test/published-workflow';
import { startTavilyCompatibleServer, type TavilyCompatibleServer } from '../test/tavily-compatible-server';
import { quietRuntime } from '../test/temporal-harness';
import { nodeIoQuery, runEventsQuery, runStateQuery } from './messages';

let harness: ApiHarness;
let account: TestAccount;
let openai: OpenAiCompatibleServer;
let tavily: TavilyCompatibleServer;
let http: HttpFixture;
let openaiCredential: string;
let tavilyCredential: string;

beforeAll(async () => {
  // These runs fail nodes and tool calls on purpose, which the SDK logs at WARN each time.
  quietRuntime('ERROR');
  [harness, openai, http] = await Promise.all([createApiHarness(), startOpenAiCompatibleServer(), startHttpFixture()]);
  tavily = await startTavilyCompatibleServer({
    corpus: [
      { title: 'Durable execution explained', url: 'https://example.com/durable', content: 'Durable execution resumes a workflow where it stopped.' },
      { title: 'Weather in Oslo', url: 'https://example.com/oslo', content: 'Oslo weather service: see the local API.' },
    ],
  });
  http.route('/weather', (req, res) => sendJson(res, 200, { city: new URL(req.url ?? '', 'http://x').searchParams.get('city'), forecast: 'light snow, -3 °C' }));
  http.route('/missing', (_req, res) => sendJson(res, 404, { error: 'no such page' }));
  account = await harness.signUp('agent');
  const credential = async (body: unknown) => (await harness.request<{ id: string }>('POST', '/api/v1/credentials', { token: account.token, body })).body.id;
  openaiCredential = await credential({ name: 'Local model', kind: 'openai', data: { apiKey: openai.apiKey, baseUrl: openai.baseUrl } });
  tavilyCredential = await credential({ name: 'Local search', kind: 'tavily', data: { apiKey: tavily.apiKey } });
});

afterAll(async () => {
  await Promise.all([harness?.close(), openai?.close(), tavily?.close(), http?.close()]);
});

function agentGraph(tools: GraphInput['nodes'], agentConfig: Record<string, unknown> = {}): GraphInput {
  return {
    nodes: [
      node('start', 'start'),
      node('agent', 'agent', { credentialId: openaiCredential, model: 'local-model', prompt: '{{ input.question }}', ...agentConfig }, { retry: { maximumAttempts: 2, initialInterval: '100ms' } }),
      ...tools,
      node('end', 'end'),
    ],
    edges: [edge('start', 'agent', undefined, 'in'), ...tools.map((tool) => edge(tool.id, 'agent', undefined, 'tools')), edge('agent', 'end')],
  };
}

const searchTool = () => node('search', 'web-search', { credentialId: tavilyCredential, baseUrl: tavily.baseUrl, maxResults: 3 });
const weatherTool = () => node('weather', 'http-request', { url: `${http.url}/weather` }, { retry: { maximumAttempts: 1 } });

async function start(graph: GraphInput, inputs: Record<string, unknown>) {
  return startRun(harness.temporal.client, { graph, inputs, taskQueue: harness.temporal.taskQueue, meta: { trigger: 'api', workspaceId: account.workspaceId } });
}

/** The messages of the `index`-th chat request this test made (requests before it belong to other tests). */
function chatRequestsSince(before: number): ChatRequest[] {
  return openai.chatRequests().slice(before);
}

async function scheduledActivities(handle: Awaited<ReturnType<typeof start>>): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    return scheduled ? [`${scheduled.activityType?.name} ${scheduled.activityId}`] : [];
  });
}

test('a two-tool loop completes: every model call and tool call is an activity and a run event', async () => {
  const before = openai.chatRequests().length;
  openai.enqueueChat(
    { toolCalls: [{ name: 'Web_Search', arguments: { query: 'weather Oslo' } }] },
    { toolCalls: [{ name: 'HTTP_Request', arguments: { query: { city: 'Oslo' } } }] },
    { content: 'In Oslo: light snow, -3 °C.' },
  );
  const handle = await start(agentGraph([searchTool(), weatherTool()]), { question: 'What is the weather in Oslo?' });
  const result = await handle.result();

  expect(result.output).toMatchObject({
    answer: 'In Oslo: light snow, -3 °C.',
    iterations: 3,
    steps: [
      { iteration: 1, toolCalls: [{ tool: 'Web_Search', arguments: { query: 'weather Oslo' }, result: { results: [{ title: 'Weather in Oslo' }] } }] },
      { iteration: 2, toolCalls: [{ tool: 'HTTP_Request', result: { status: 200, body: { city: 'Oslo', forecast: 'light snow, -3 °C' } } }] },
    ],
  });
  // The model reads the status and body of the HTTP tool's answer, not its transport headers.
  expect(Object.keys((result.output as { steps: { toolCalls: { result: object }[] }[] }).steps[1].toolCalls[0].result)).toEqual(['status', 'body']);
  const requests = chatRequestsSince(before);
  expect(requests).toHaveLength(3);
  expect(requests[0].tools?.map((tool) => tool.function.name)).toEqual(['Web_Search', 'HTTP_Request']);
  expect(requests[0].messages.map((m) => m.role)).toEqual(['system', 'user']);
  expect(requests[0].messages[1].content).toBe('What is the weather in Oslo?');
  expect(requests[1].messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('Oslo weather service') });
  expect(requests[2].messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('light snow') });
  expect(tavily.queries.at(-1)).toEqual({ query: 'weather Oslo', max_results: 3, search_depth: 'basic' });

  expect(await scheduledActivities(handle)).toEqual([
    'agent-model@1 agent.model.1',
    'web-search@1 agent.search.1',
    'agent-model@1 agent.model.2',
    'http-request@1 agent.weather.1',
    'agent-model@1 agent.model.3',
  ]);
  const events = await handle.query(runEventsQuery, 0);
  const agentEvents = events.filter((event: RunEvent) => event.type.startsWith('agent.'));
  expect(agentEvents.map((event) => [event.type, event.nodeId, event.toolNodeId, event.iteration])).toEqual([
    ['agent.model', 'agent', undefined, 1],
    ['agent.tool', 'agent', 'search', 1],
    ['agent.model', 'agent', undefined, 2],
    ['agent.tool', 'agent', 'weather', 2],
    ['agent.model', 'agent', undefined, 3],
  ]);
  expect(agentEvents[1].summary).toMatch(/^Web_Search\(\{"query":"weather Oslo"\}\) → /);
  const state = await handle.query(runStateQuery);
  expect(state.nodes.search).toMatchObject({ status: 'succeeded', attempts: 1, toolCalls: { running: 0, succeeded: 1, failed: 0 } });
  expect(state.nodes.weather).toMatchObject({ status: 'succeeded', toolCalls: { succeeded: 1, failed: 0 } });
});

test('a failing tool hands its error to the model and the run still succeeds', async () => {
  const before = openai.chatRequests().length;
  openai.enqueueChat({ toolCalls: [{ name: 'HTTP_Request', arguments: { url: `${http.url}/missing` } }] }, { content: 'The page does not exist.' });
  const handle = await start(agentGraph([weatherTool()]), { question: 'Read the missing page.' });
  const result = await handle.result();

  expect(result.output).toMatchObject({
    answer: 'The page does not exist.',
    steps: [{ iteration: 1, toolCalls: [{ tool: 'HTTP_Request', error: expect.stringContaining('answered 404') }] }],
  });
  const toolMessage = chatRequestsSince(before)[1].messages.at(-1);
  expect(toolMessage).toMatchObject({ role: 'tool', content: expect.stringMatching(/^Error: GET http:\/\/127\.0\.0\.1:\d+\/missing answered 404/) });
  const state = await handle.query(runStateQuery);
  expect(state.status).toBe('succeeded');
  expect(state.nodes.weather).toMatchObject({ status: 'failed', toolCalls: { succeeded: 0, failed: 1 }, error: { type: 'HttpClientError' } });
  const toolEvent = (await handle.query(runEventsQuery, 0)).find((event) => event.type === 'agent.tool');
  expect(toolEvent).toMatchObject({ toolNodeId: 'weather', error: { type: 'HttpClientError' } });
});

test('max iterations is enforced with a clear error, keeping the steps so far as the node’s output', async () => {
  const before = openai.chatRequests().length;
  openai.enqueueChat(
    { toolCalls: [{ name: 'Web_Search', arguments: { query: 'durable' } }] },
    { toolCalls: [{ name: 'Web_Search', arguments: { query: 'durable execution' } }] },
  );
  const handle = await start(agentGraph([searchTool()], { maxIterations: 2 }), { question: 'Keep searching.' });
  const failure = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const message = "stopped after 2 iterations without a final answer; the steps so far are in the node's output";
  expect((failure as WorkflowFailedError).cause?.message).toBe(`node "Agent" (agent) failed: ${message}`);
  expect(chatRequestsSince(before)).toHaveLength(2);
  const state = await handle.query(runStateQuery);
  expect(state.nodes.agent).toMatchObject({ status: 'failed', error: { type: 'AgentMaxIterations', message } });
  const { output } = (await handle.query(nodeIoQuery)).agent;
  expect(output).toEqual({
    steps: [{ iteration: 1, toolCalls: [{ tool: 'Web_Search', arguments: { query: 'durable' }, result: expect.objectContaining({ results: expect.any(Array) }) }] }],
    usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number) },
    iterations: 2,
  });
  expect((output as { usage: { totalTokens: number } }).usage.totalTokens).toBeGreaterThan(0);
  // The second reply's tool call is not run: no model call is left to read its result.
  expect(state.nodes.search.toolCalls).toEqual({ running: 0, succeeded: 1, failed: 0 });
});

test('the time budget bounds the calls and fails the agent when it runs out', async () => {
  openai.enqueueChat({ toolCalls: [{ name: 'Web_Search', arguments: { query: 'durable' } }] });
  const handle = await start(agentGraph([searchTool()], { timeBudget: '1ms' }), { question: 'Be quick.' });
  await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
  const state = await handle.query(runStateQuery);
  expect(state.nodes.agent).toMatchObject({ status: 'failed', error: { type: 'AgentTimeBudgetExceeded', message: expect.stringContaining('time budget of 1ms ran out') } });
});

test('web search: a rejected API key fails at once, naming the credential and never its secret', async () => {
  const wrongKey = 'tvly-wrong-secret-value';
  const { body } = await harness.request<{ id: string }>('POST', '/api/v1/credentials', { token: account.token, body: { name: 'Revoked search key', kind: 'tavily', data: { apiKey: wrongKey } } });
  const handle = await start(
    {
      nodes: [node('start', 'start'), node('search', 'web-search', { credentialId: body.id, baseUrl: tavily.baseUrl, query: 'durable' }), node('end', 'end')],
      edges: [edge('start', 'search'), edge('search', 'end')],
    },
    {},
  );
  await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
  const { error, attempts } = (await handle.query(runStateQuery)).nodes.search;
  expect(attempts).toBe(1);
  expect(error).toMatchObject({ type: 'ProviderAuthenticationError', message: expect.stringContaining(`credential "Revoked search key" (${body.id})`) });
  expect(error?.message).not.toContain(wrongKey);
});

test('web search: 429 and 5xx are retried per the node policy', async () => {
  tavily.enqueueFault({ status: 429, retryAfter: 1 }, { status: 503 });
  const result = await start(
    {
      nodes: [
        node('start', 'start'),
        node('search', 'web-search', { credentialId: tavilyCredential, baseUrl: tavily.baseUrl, query: 'durable execution' }, { retry: { initialInterval: '50ms', backoffCoefficient: 1 } }),
        node('end', 'end'),
      ],
      edges: [edge('start', 'search'), edge('search', 'end')],
    },
    {},
  );
  expect(await result.result()).toMatchObject({ output: { query: 'durable execution', results: [{ url: 'https://example.com/durable' }] } });
  expect((await result.query(runStateQuery)).nodes.search.attempts).toBe(3);
});

test('memory: runs with the same session id see the question and answer of earlier runs, not their tool traffic', async () => {
  const memory = { kind: 'buffer', sessionId: '{{ input.session }}', window: 10 };
  openai.enqueueChat({ toolCalls: [{ name: 'Web_Search', arguments: { query: 'durable' } }] }, { content: 'Durable execution resumes where it stopped.' });
  await (await start(agentGraph([searchTool()], { memory }), { question: 'What is durable execution?', session: 'agent-s1' })).result();
  const before = openai.chatRequests().length;
  await (await start(agentGraph([searchTool()], { memory }), { question: 'Say that again.', session: 'agent-s1' })).result();
  await (await start(agentGraph([searchTool()], { memory }), { question: 'Anyone here?', session: 'agent-s2' })).result();
  const [sameSession, otherSession] = chatRequestsSince(before);
  expect(sameSession.messages.map((m) => [m.role, m.content])).toEqual([
    ['system', expect.any(String)],
    ['user', 'What is durable execution?'],
    ['assistant', 'Durable execution resumes where it stopped.'],
    ['user', 'Say that again.'],
  ]);
  expect(otherSession.messages.map((m) => m.role)).toEqual(['system', 'user']);
});

describe('run another workflow', () => {
  let childWorkflowId: string;

  beforeAll(async () => {
    childWorkflowId = await createPublishedWorkflow(harness.database.orm, account, {
      nodes: [node('start', 'start'), node('greet', 'set', { values: { greeting: 'Hello {{ input.name }}' } }), node('end', 'end')],
      edges: [edge('start', 'greet'), edge('greet', 'end')],
    });
  });

  test('as a node: the published workflow runs as a child run and its output flows on', async () => {
    const handle = await start(
      {
        nodes: [node('start', 'start'), node('child', 'run-workflow', { workflowId: childWorkflowId, inputs: { name: '{{ input.who }}' } }), node('end', 'end')],
        edges: [edge('start', 'child'), edge('child', 'end')],
      },
      { who: 'Ada' },
    );
    const result = await handle.result();
    expect(result.output).toEqual({ output: { greeting: 'Hello Ada' }, runId: `${handle.workflowId}.child`, workflowId: childWorkflowId, version: 1 });
    const child = await harness.temporal.client.workflow.getHandle(`${handle.workflowId}.child`).describe();
    expect(child.parentExecution?.workflowId).toBe(handle.workflowId);
    expect(child.status.name).toBe('COMPLETED');
    expect(child.typedSearchAttributes.get(KAI_TRIGGER)).toBe('workflow');
    expect(child.typedSearchAttributes.get(KAI_WORKFLOW_ID)).toBe(childWorkflowId);
  });

  test('as a tool: the agent runs the workflow with the inputs it chose', async () => {
    const before = openai.chatRequests().length;
    openai.enqueueChat({ toolCalls: [{ name: 'Greeter', arguments: { inputs: { name: 'Grace' } } }] }, { content: 'It said Hello Grace.' });
    const greeter = { ...node('greeter', 'run-workflow', { workflowId: childWorkflowId }), label: 'Greeter' };
    const handle = await start(agentGraph([greeter]), { question: 'Greet Grace.' });
    const result = await handle.result();
    expect(result.output).toMatchObject({ answer: 'It said Hello Grace.', steps: [{ toolCalls: [{ tool: 'Greeter', result: { output: { greeting: 'Hello Grace' } } }] }] });
    expect(chatRequestsSince(before)[1].messages.at(-1)?.content).toContain('Hello Grace');
    const child = await harness.temporal.client.workflow.getHandle(`${handle.workflowId}.agent.greeter.1`).describe();
    expect(child.parentExecution?.workflowId).toBe(handle.workflowId);
  });

  test('a workflow that does not exist fails the node without retrying', async () => {
    const handle = await start(
      { nodes: [node('start', 'start'), node('child', 'run-workflow', { workflowId: '00000000-0000-4000-8000-000000000000' }), node('end', 'end')], edges: [edge('start', 'child'), edge('child', 'end')] },
      {},
    );
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    const state = await handle.query(runStateQuery);
    expect(state.nodes.child).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'WorkflowNotRunnable', message: expect.stringContaining('does not exist in this workspace') } });
  });
});
