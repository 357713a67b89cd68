import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { GraphValidationError } from './graph-problem';
import { planRun, validateGraph } from '../activities/plan-run';
import { nodeDefinitions } from '../activities/registry';
import { activityTypeOf, type PlannedNode, type PlannedNodeOf } from './plan';
import { pureNodeFunctions } from './pure-nodes';

/** The planned node narrowed to its kind, failing the test when it is another. */
function ofKind<Kind extends PlannedNode['kind']>(node: PlannedNode, kind: Kind): PlannedNodeOf<Kind> {
  if (node.kind !== kind) throw new Error(`node ${node.id} is a ${node.kind} node, not ${kind}`);
  return node as PlannedNodeOf<Kind>;
}


test('a valid graph is ordered topologically with defaults and overrides merged', () => {
  const plan = planRun({
    nodes: [
      node('end', 'end'),
      node('fetch', 'http-request', { url: 'https://example.com' }, { retry: { maximumAttempts: 2 }, timeouts: { heartbeat: '5s' } }),
      node('start', 'start'),
    ],
    edges: [edge('start', 'fetch'), edge('fetch', 'end')],
  });
  expect(plan.nodes.map((n) => n.id)).toEqual(['start', 'fetch', 'end']);
  const fetch = ofKind(plan.nodes[1], 'task');
  expect(fetch).toMatchObject({ kind: 'task', label: 'HTTP Request', continueOnError: false });
  expect(fetch.activity).toEqual({
    activityType: 'http-request@1',
    retry: { maximumAttempts: 2, initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 30_000, nonRetryableErrorTypes: ['HttpClientError'] },
    timeouts: { startToClose: 120_000, heartbeat: 5000, scheduleToClose: undefined },
  });
  expect(plan.edges[0]).toMatchObject({ sourceHandle: 'out', targetHandle: 'in' });
});

test('every node type default caps its attempts', () => {
  const plan = planRun({ nodes: [node('start', 'start'), node('s', 'set', { values: {} })], edges: [edge('start', 's')] });
  expect(ofKind(plan.nodes[1], 'task').activity.retry.maximumAttempts).toBeGreaterThan(0);
});

test('an invalid graph is refused with every problem listed at once', () => {
  const problems = validateGraph({
    nodes: [
      node('start', 'start'),
      node('a', 'set', { values: {} }),
      node('b', 'set', { values: {} }),
      node('ghost', 'teleport'),
      node('old', 'set', {}, {}),
      node('fetch', 'http-request', { url: 'not a url', method: 'FETCH' }),
      node('lonely', 'end'),
    ],
    edges: [edge('start', 'a'), edge('a', 'b'), edge('b', 'a'), edge('start', 'nowhere'), edge('start', 'fetch'), edge('start', 'old')],
  });
  const text = problems.map((p) => `${p.path}: ${p.message}`);
  expect(text).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^nodes\.ghost\.type: unknown node type "teleport"/),
      expect.stringMatching(/^nodes\.old\.data\.config\.values: /),
      expect.stringMatching(/^nodes\.fetch\.data\.config\.url: must be an http/),
      expect.stringMatching(/^nodes\.fetch\.data\.config\.method: /),
      expect.stringMatching(/^edges\.start-out-nowhere\.target: no node "nowhere"/),
      expect.stringMatching(/cycle through nodes "a" → "b"|cycle through nodes "b" → "a"/),
      expect.stringMatching(/^nodes\.lonely: node "lonely" cannot be reached/),
    ]),
  );
  expect(problems).toHaveLength(7);
});

test('every node that cannot run without a credential is refused at save without one, naming the field', () => {
  const needing = ['llm-chat', 'agent', 'retrieval-qa', 'web-search', 'database-query'];
  for (const type of needing) {
    for (const config of [{}, { credentialId: ' ' }]) {
      const problems = validateGraph({ nodes: [node('start', 'start'), node('n', type, config), node('end', 'end')], edges: [edge('start', 'n'), edge('n', 'end')] });
      expect({ type, problems: problems.filter((p) => p.path.endsWith('credentialId')) }).toEqual({
        type,
        problems: [{ path: 'nodes.n.data.config.credentialId', nodeId: 'n', message: 'required: this node needs a credential' }],
      });
    }
  }
});

test('planRun throws a GraphValidationError carrying the problems', () => {
  const attempt = () => planRun({ nodes: [node('a', 'set', { values: {} })], edges: [] });
  expect(attempt).toThrow(GraphValidationError);
  expect(attempt).toThrow(/no entry node/);
});

test('handles are checked: unknown handles, missing handle names on branching nodes', () => {
  const problems = validateGraph({
    nodes: [node('start', 'start'), node('if', 'condition', { rules: [{ left: 1, operator: 'exists' }] }), node('x', 'set', { values: {} })],
    edges: [edge('start', 'if', undefined, 'sideways'), edge('if', 'x'), edge('if', 'x', 'maybe')],
  });
  expect(problems.map((p) => p.message)).toEqual([
    'node "if" (Condition) has no input handle "sideways" (it has: in)',
    'node "if" (Condition) has several output handles (true, false): name one',
    'node "if" (Condition) has no output handle "maybe" (it has: true, false)',
    'node "if" cannot be reached from any entry node: connect it or remove it',
    'node "x" cannot be reached from any entry node: connect it or remove it',
  ]);
});

test('duplicate ids, unknown versions and misplaced reliability settings are reported', () => {
  const problems = validateGraph({
    nodes: [node('start', 'start'), node('start', 'end'), { ...node('s', 'set', { values: {} }), version: 9 }, node('wait', 'delay', { duration: '1s' }, { retry: { maximumAttempts: 2 } })],
    edges: [edge('start', 's'), edge('start', 'wait')],
  });
  expect(problems.map((p) => p.message)).toEqual(
    expect.arrayContaining([
      'duplicate node id "start"',
      'node type "set" has no version 9 (known: 1)',
      'Delay nodes do not run as activities, so retry does not apply',
    ]),
  );
});

test('templates must parse and may read only upstream nodes; templated fields skip static checks', () => {
  const problems = validateGraph({
    nodes: [
      node('start', 'start'),
      node('a', 'set', { values: { x: '{{ nodes.b.output }}', y: '{{ nodes.nope.output }}', z: '{{ 1 + 1 }}' } }),
      node('b', 'http-request', { url: '{{ input.url }}', timeout: '{{ input.timeout }}' }),
    ],
    edges: [edge('start', 'a'), edge('start', 'b')],
  });
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
    'nodes.a.data.config.values.x: template "{{ nodes.b.output }}" reads node "b", which is not upstream of "a"',
    'nodes.a.data.config.values.y: template "{{ nodes.nope.output }}" reads node "nope", which is not in the graph',
    'nodes.a.data.config.values.z: cannot read "{{ 1 + 1 }}": expected a path like input.name or nodes.id.output.field',
  ]);
});

test('expressions are parsed at save: syntax errors by field and position, $nodes reads like templates', () => {
  const problems = validateGraph({
    nodes: [
      node('start', 'start'),
      node('a', 'set', { values: { ok: '{{= $count($input.tags) }}', bad: 'n = {{= $input.value * }}', late: '{{= $nodes.b.output.total + 1 }}', gone: '{{= $nodes.nope.output }}' } }),
      node('b', 'transform', { expression: '{"total": $sum($input.items.price)' }),
      node('c', 'transform', { expression: '$nodes.a.output.ok * {{ input.n }}' }),
      node('d', 'transform', { expression: '{"total": $sum($nodes.a.output.ok), "n": $count($)}' }),
    ],
    edges: [edge('start', 'a'), edge('start', 'b'), edge('a', 'c'), edge('a', 'd')],
  });
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
    'nodes.a.data.config.values.bad: expression "{{= $input.value * }}": Unexpected end of expression at position 16 ("(end)") in "$input.value *" [S0207]',
    'nodes.a.data.config.values.late: expression "{{= $nodes.b.output.total + 1 }}" reads node "b", which is not upstream of "a"',
    'nodes.a.data.config.values.gone: expression "{{= $nodes.nope.output }}" reads node "nope", which is not in the graph',
    'nodes.b.data.config.expression: expression: Expected "}" before end of expression at position 34 ("(end)") in "{"total": $sum($input.items.price)" [S0203]',
    'nodes.c.data.config.expression: config.expression is a JSONata expression itself: read values as $input.name or $nodes.id.output, not with {{ }} templates',
  ]);
});

test('a Code node\u2019s code takes no templates: a value pasted into program text would run as code', () => {
  const problems = validateGraph({
    nodes: [node('start', 'start'), node('c', 'code', { code: 'return "{{ input.name }}".length;' }), node('d', 'code', { code: 'return { a: { b: $input } };' })],
    edges: [edge('start', 'c'), edge('start', 'd')],
  });
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
    'nodes.c.data.config.code: config.code is code: read values from $input, not with {{ }} templates',
  ]);
});

test('malformed graph JSON shapes are reported by field', () => {
  expect(validateGraph({ nodes: [{ id: 'x y', type: 'set' }], edges: 'none' }).map((p) => p.path)).toEqual(
    expect.arrayContaining(['nodes.0.id', 'nodes.0.version', 'edges']),
  );
  expect(validateGraph(null)[0].path).toBe('(graph)');
});

test('pure node types are planned pure, and every pure task type has the function the interpreter computes it with', () => {
  const plan = planRun({ nodes: [node('start', 'start'), node('s', 'set', { values: {} }), node('fetch', 'http-request', { url: 'https://example.com' })], edges: [edge('start', 's'), edge('s', 'fetch')] });
  expect(plan.nodes.map((n) => [n.id, n.pure ?? false])).toEqual([['start', true], ['s', true], ['fetch', false]]);
  const pureTaskTypes = nodeDefinitions.filter((d) => d.kind === 'task' && d.pure).map(activityTypeOf);
  expect(pureTaskTypes.sort()).toEqual(Object.keys(pureNodeFunctions).sort());
});

describe('agent tools', () => {
  const agentConfig = { credentialId: 'cred', prompt: 'What is new about {{ input.topic }}?' };
  const toolEdge = (tool: string, agent = 'agent') => edge(tool, agent, undefined, 'tools');

  test('nodes on the tools handle become the agent\'s tools and leave the flow', () => {
    const plan = planRun({
      nodes: [
        node('start', 'start'),
        node('agent', 'agent', agentConfig, { retry: { maximumAttempts: 2 } }),
        { ...node('search', 'web-search', { credentialId: 'tavily' }), label: 'Search the web!' },
        { ...node('fetch', 'http-request', { url: 'https://example.com/{{ input.topic }}' }, { retry: { maximumAttempts: 1 } }), label: 'Search the web!' },
        node('end', 'end'),
      ],
      edges: [edge('start', 'agent', undefined, 'in'), toolEdge('search'), toolEdge('fetch'), edge('agent', 'end')],
    });
    expect(plan.nodes.map((n) => n.id)).toEqual(['start', 'agent', 'end']);
    expect(plan.edges.map((e) => e.id)).toEqual(['start-out-agent', 'agent-out-end']);
    const agent = ofKind(plan.nodes[1], 'agent');
    expect(agent).toMatchObject({ kind: 'agent', config: { ...agentConfig, maxIterations: 5, timeBudget: '5m', model: 'gpt-4o-mini' } });
    expect(agent.activity).toMatchObject({ activityType: 'agent-model@1', retry: { maximumAttempts: 2 } });
    expect(agent.tools.map((t) => [t.id, t.kind, t.toolName, t.activity.activityType, t.activity.retry.maximumAttempts])).toEqual([
      ['search', 'task', 'Search_the_web', 'web-search@1', 4],
      ['fetch', 'task', 'Search_the_web_2', 'http-request@1', 1],
    ]);
    expect(agent.tools[0].description).toMatch(/^Search the web!: Searches the web/);
    expect(agent.tools[0].argumentsSchema).toEqual({
      type: 'object',
      properties: { query: { type: 'string', minLength: 1, maxLength: 2000, description: 'the search query' } },
      required: ['query'],
      additionalProperties: false,
    });
  });

  test('the HTTP tool takes plain JSON Schema arguments: no type lists, no propertyNames, a typed body', () => {
    const plan = planRun({
      nodes: [node('start', 'start'), node('agent', 'agent', agentConfig), node('fetch', 'http-request', { url: 'https://example.com' })],
      edges: [edge('start', 'agent', undefined, 'in'), toolEdge('fetch')],
    });
    expect(ofKind(plan.nodes[1], 'agent').tools[0].argumentsSchema).toEqual({
      type: 'object',
      properties: {
        url: { type: 'string', format: 'uri', description: 'replaces the configured URL' },
        query: { type: 'object', properties: {}, additionalProperties: { type: 'string' }, description: 'query parameters added to the configured ones' },
        body: { type: 'object', properties: {}, additionalProperties: {}, description: 'a JSON object sent as the request body' },
      },
      additionalProperties: false,
    });
  });

  test("a node's own tool description replaces its type's; only nodes that can be tools take one", () => {
    const toolDescription = 'Looks up current prices in the shop catalogue. Ask with a product name.';
    const plan = planRun({
      nodes: [node('start', 'start'), node('agent', 'agent', agentConfig), node('prices', 'http-request', { url: 'https://shop.example/prices' }, { toolDescription: `  ${toolDescription}\n` })],
      edges: [edge('start', 'agent', undefined, 'in'), toolEdge('prices')],
    });
    expect(ofKind(plan.nodes[1], 'agent').tools[0].description).toBe(toolDescription);

    const described = (target: ReturnType<typeof node>) =>
      validateGraph({ nodes: [node('start', 'start'), target], edges: [edge('start', target.id)] }).map((p) => `${p.path}: ${p.message}`);
    expect(described(node('shape', 'set', { values: {} }, { toolDescription: 'Shapes data.' }))).toEqual([
      'nodes.shape.data.toolDescription: Set nodes cannot be an agent tool, so toolDescription does not apply',
    ]);
    expect(described(node('blank', 'http-request', { url: 'https://x.test' }, { toolDescription: ' ' }))).toEqual([
      'nodes.1.data.toolDescription: Too small: expected string to have >=1 characters',
    ]);
  });

  test('a run-workflow node can be a tool; its tool kind is a child workflow', () => {
    const plan = planRun({
      nodes: [node('start', 'start'), node('agent', 'agent', agentConfig), node('other', 'run-workflow', { workflowId: '8a1f7c56-4c1e-4c4e-9c39-0d6f1f0e0b11' })],
      edges: [edge('start', 'agent', undefined, 'in'), toolEdge('other')],
    });
    expect(ofKind(plan.nodes[1], 'agent').tools).toMatchObject([{ id: 'other', kind: 'subworkflow', toolName: 'Run_Workflow', activity: { activityType: 'plan-workflow@1' } }]);
  });

  test('a node that cannot be a tool, or a tool with other connections, is refused', () => {
    const problems = validateGraph({
      nodes: [node('start', 'start'), node('agent', 'agent', agentConfig), node('shape', 'set', { values: {} }), node('fetch', 'http-request', { url: 'https://example.com' })],
      edges: [edge('start', 'agent', undefined, 'in'), toolEdge('shape'), toolEdge('fetch'), edge('start', 'fetch')],
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'edges.shape-out-agent.source: node "shape" (Set) cannot be an agent tool',
      'nodes.fetch: node "fetch" is a tool of "agent", so it cannot have other connections (it has 1 more)',
      'nodes.shape: node "shape" cannot be reached from any entry node: connect it or remove it',
    ]);
  });

  test("a tool's templates may read what is upstream of its agent, and nothing else", () => {
    const problems = validateGraph({
      nodes: [
        node('start', 'start'),
        node('before', 'set', { values: { id: 1 } }),
        node('agent', 'agent', agentConfig),
        node('after', 'set', { values: {} }),
        node('fetch', 'http-request', { url: 'https://example.com/{{ nodes.before.output.id }}', query: { x: '{{ nodes.after.output }}' } }),
      ],
      edges: [edge('start', 'before'), edge('before', 'agent', undefined, 'in'), edge('agent', 'after'), toolEdge('fetch')],
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'nodes.fetch.data.config.query.x: template "{{ nodes.after.output }}" reads node "after", which is not upstream of "fetch"',
    ]);
  });
});
