import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Run, WorkflowVersion } from '../../db/entities';
import { graphSchema, type GraphInput } from '../../engine/graph';
import { validateGraph } from '../../activities/plan-run';
import { IMPORTED_GRAPH_NAME } from '../../contract/workflows';
import { createApiHarness, type ApiHarness, type RequestOptions, type TestAccount } from '../../test/api-harness';

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
}, 120_000);
afterAll(() => api?.close());

function example(name: string): GraphInput {
  return JSON.parse(readFileSync(join(__dirname, '../../examples', `${name}.json`), 'utf8'));
}

/** The graph as the API stores it: the example with the graph schema's defaults applied. */
function saved(graph: GraphInput) {
  return graphSchema.parse(graph);
}

async function createWorkflow(as: RequestOptions, body: Record<string, unknown>) {
  const created = await api.request('POST', '/api/v1/workflows', { ...as, body });
  expect(created.status).toBe(201);
  return created.body;
}

async function addMember(owner: TestAccount, role: 'editor' | 'viewer'): Promise<RequestOptions> {
  const member = await api.signUp(role);
  await api.addMember(owner, member, role);
  return { token: member.token, headers: { 'x-kai-workspace': owner.workspaceId } };
}

test('create, list, read, edit and delete a workflow; a new workflow starts with a lone Start node', async () => {
  const owner = await api.signUp('crud');
  const as = { token: owner.token };
  const graph = example('linear-http');
  const created = await createWorkflow(as, { name: '  Fetch and shape ', description: 'GET a URL', tags: ['http', 'demo', 'http'], graph });
  expect(created).toMatchObject({
    name: 'Fetch and shape',
    description: 'GET a URL',
    tags: ['http', 'demo'],
    latestVersion: null,
    lastRun: null,
    createdBy: { userId: owner.userId, email: owner.email },
    graph: saved(graph),
  });

  const read = await api.request('GET', `/api/v1/workflows/${created.id}`, as);
  expect(read.status).toBe(200);
  expect(read.body).toEqual(created);

  const listed = await api.request('GET', '/api/v1/workflows', as);
  expect(listed.body.nextCursor).toBeNull();
  expect(listed.body.items).toEqual([Object.fromEntries(Object.entries(created).filter(([key]) => key !== 'graph' && key !== 'problems'))]);

  const diamond = example('diamond-condition');
  const edited = await api.request('PATCH', `/api/v1/workflows/${created.id}`, { ...as, body: { name: 'Route by amount', tags: [], graph: diamond } });
  expect(edited.status).toBe(200);
  expect(edited.body).toMatchObject({ id: created.id, name: 'Route by amount', description: 'GET a URL', tags: [], graph: saved(diamond) });
  expect(Date.parse(edited.body.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
  expect((await api.request('GET', `/api/v1/workflows/${created.id}`, as)).body).toEqual(edited.body);
  expect((await api.request('PATCH', `/api/v1/workflows/${created.id}`, { ...as, body: {} })).status).toBe(400);
  expect((await api.request('PATCH', `/api/v1/workflows/${created.id}`, { ...as, body: { owner: 'me' } })).status).toBe(400);

  const blank = await createWorkflow(as, { name: 'Blank' });
  expect(blank.graph.nodes).toEqual([expect.objectContaining({ id: 'start', type: 'start', version: 1 })]);
  expect(blank.graph.edges).toEqual([]);
  expect(validateGraph(blank.graph)).toEqual([]);

  expect((await api.request('DELETE', `/api/v1/workflows/${created.id}`, as)).status).toBe(204);
  expect((await api.request('GET', `/api/v1/workflows/${created.id}`, as)).status).toBe(404);
  expect((await api.request('DELETE', `/api/v1/workflows/${created.id}`, as)).status).toBe(404);
  expect((await api.request('GET', '/api/v1/workflows/not-a-uuid', as)).status).toBe(400);
  expect((await api.request('GET', '/api/v1/workflows', as)).body.items.map((w: { id: string }) => w.id)).toEqual([blank.id]);
});

test('the list searches names, filters by tag and pages newest-updated first with an opaque cursor', async () => {
  const owner = await api.signUp('lists');
  const as = { token: owner.token };
  const ids: string[] = [];
  for (const [name, tags] of [['Alpha report', ['finance']], ['beta 100% sync', ['ops']], ['Gamma REPORT', ['finance', 'ops']], ['delta', []], ['epsilon_report', []]] as const) {
    ids.push((await createWorkflow(as, { name, tags })).id);
  }
  // Editing the oldest moves it to the front.
  expect((await api.request('PATCH', `/api/v1/workflows/${ids[0]}`, { ...as, body: { description: 'touched' } })).status).toBe(200);
  const newestFirst = [ids[0], ids[4], ids[3], ids[2], ids[1]];

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await api.request(
      'GET',
      `/api/v1/workflows?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      as,
    );
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(2);
    seen.push(...page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor);
  expect(seen).toEqual(newestFirst);
  expect(pages).toBe(3);

  const names = async (query: string) =>
    (await api.request('GET', `/api/v1/workflows?${query}`, as)).body.items.map((item: { name: string }) => item.name);
  expect(await names('q=report')).toEqual(['Alpha report', 'epsilon_report', 'Gamma REPORT']);
  expect(await names(`q=${encodeURIComponent('100%')}`)).toEqual(['beta 100% sync']);
  expect(await names('q=a_r')).toEqual([]);
  expect(await names('tag=finance')).toEqual(['Alpha report', 'Gamma REPORT']);
  expect(await names('tag=ops&q=gamma')).toEqual(['Gamma REPORT']);

  const badCursor = await api.request('GET', '/api/v1/workflows?cursor=bm90LWEtY3Vyc29y', as);
  expect(badCursor.status).toBe(400);
  expect(badCursor.body.error.details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
  expect((await api.request('GET', '/api/v1/workflows?limit=201', as)).status).toBe(400);
  expect((await api.request('GET', '/api/v1/workflows?limit=0', as)).status).toBe(400);
  expect((await api.request('GET', '/api/v1/workflows?sort=name', as)).status).toBe(400);
});

test('a draft with problems is saved and answered with every problem; publishing and test-running refuse it', async () => {
  const owner = await api.signUp('invalid');
  const as = { token: owner.token };
  const broken = {
    nodes: [
      { id: 'start', type: 'start', version: 1 },
      { id: 'fetch', type: 'http-request', version: 1, data: { config: { method: 'FETCH' } } },
      { id: 'ghost', type: 'teleport', version: 1 },
      { id: 'wait', type: 'delay', version: 1, data: { config: { duration: '5s' }, retry: { maximumAttempts: 2 } } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'fetch' },
      { id: 'e2', source: 'fetch', target: 'nowhere' },
      { id: 'e3', source: 'fetch', target: 'wait' },
    ],
  };
  const expected = validateGraph(broken);
  expect(expected.length).toBeGreaterThanOrEqual(5);

  const created = await api.request('POST', '/api/v1/workflows', { ...as, body: { name: 'Broken', graph: broken } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ graph: saved(broken), problems: expected });
  expect(created.body.problems.map((problem: { path: string }) => problem.path)).toEqual(
    expect.arrayContaining(['nodes.fetch.data.config.method', 'nodes.fetch.data.config.url', 'nodes.ghost.type', 'nodes.wait.data.retry', 'edges.e2.target']),
  );
  expect((await api.request('GET', `/api/v1/workflows/${created.body.id}`, as)).body).toMatchObject({ graph: saved(broken), problems: expected });

  const published = await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, as);
  expect(published.status).toBe(400);
  expect(published.body.error.code).toBe('invalid_graph');
  expect(published.body.error.details).toEqual(expected.map((problem) => ({ ...problem, path: `draft.${problem.path}` })));
  const tested = await api.request('POST', `/api/v1/workflows/${created.body.id}/test-runs`, { ...as, body: {} });
  expect(tested.status).toBe(400);
  expect(tested.body.error.details).toHaveLength(expected.length);
  expect((await api.request('GET', `/api/v1/workflows/${created.body.id}/versions`, as)).body).toEqual([]);

  const workflow = await createWorkflow(as, { name: 'Fine', graph: example('linear-http') });
  expect(workflow.problems).toEqual([]);
  const patched = await api.request('PATCH', `/api/v1/workflows/${workflow.id}`, { ...as, body: { name: 'Renamed', graph: broken } });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ name: 'Renamed', graph: saved(broken), problems: expected });

  const shapeless = await api.request('PATCH', `/api/v1/workflows/${workflow.id}`, { ...as, body: { graph: { nodes: 'none', edges: [{}] } } });
  expect(shapeless.status).toBe(400);
  expect(shapeless.body.error.code).toBe('invalid_graph');
  expect(shapeless.body.error.details.map((d: { path: string }) => d.path)).toEqual(
    expect.arrayContaining(['body.graph.nodes', 'body.graph.edges.0.id', 'body.graph.edges.0.source']),
  );
  const notAGraph = await api.request('PATCH', `/api/v1/workflows/${workflow.id}`, { ...as, body: { graph: null } });
  expect(notAGraph.body.error.details).toEqual([{ path: 'body.graph', message: expect.any(String) }]);
});

test('publishing freezes the draft as versions 1, 2, …; editing the draft later leaves them as they were', async () => {
  const owner = await api.signUp('publish');
  const as = { token: owner.token };
  const first = example('linear-http');
  const second = example('delay-approval');
  const workflow = await createWorkflow(as, { name: 'Versioned', graph: first });

  const v1 = await api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, as);
  expect(v1.status).toBe(201);
  expect(v1.body).toMatchObject({ number: 1, workflowId: workflow.id, createdBy: { userId: owner.userId, email: owner.email }, graph: saved(first) });

  expect((await api.request('PATCH', `/api/v1/workflows/${workflow.id}`, { ...as, body: { graph: second } })).status).toBe(200);
  const v2 = await api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, as);
  expect(v2.body).toMatchObject({ number: 2, graph: saved(second) });
  expect((await api.request('PATCH', `/api/v1/workflows/${workflow.id}`, { ...as, body: { graph: example('diamond-condition') } })).status).toBe(200);

  // Publishing also answers with the version's webhooks and schedules; the version itself reads back unchanged.
  const publishedExtras = { webhooks: [], schedules: { moved: [], onOlderVersions: [] } };
  expect({ ...(await api.request('GET', `/api/v1/workflows/${workflow.id}/versions/1`, as)).body, ...publishedExtras }).toEqual(v1.body);
  expect({ ...(await api.request('GET', `/api/v1/workflows/${workflow.id}/versions/2`, as)).body, ...publishedExtras }).toEqual(v2.body);
  const list = await api.request('GET', `/api/v1/workflows/${workflow.id}/versions`, as);
  expect(list.body).toEqual([
    { number: 2, createdAt: v2.body.createdAt, createdBy: { userId: owner.userId, email: owner.email } },
    { number: 1, createdAt: v1.body.createdAt, createdBy: { userId: owner.userId, email: owner.email } },
  ]);
  expect((await api.request('GET', `/api/v1/workflows/${workflow.id}`, as)).body).toMatchObject({ latestVersion: 2, graph: saved(example('diamond-condition')) });
  expect((await api.request('GET', `/api/v1/workflows/${workflow.id}/versions/3`, as)).status).toBe(404);
  expect((await api.request('GET', `/api/v1/workflows/${workflow.id}/versions/first`, as)).status).toBe(400);
  expect((await api.request('POST', `/api/v1/workflows/${randomUUID()}/versions`, as)).status).toBe(404);
});

test('five concurrent publishes get five distinct numbers', async () => {
  const owner = await api.signUp('race');
  const as = { token: owner.token };
  const workflow = await createWorkflow(as, { name: 'Raced', graph: example('diamond-condition') });
  const published = await Promise.all(Array.from({ length: 5 }, () => api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, as)));
  expect(published.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
  expect(published.map((answer) => answer.body.number).sort()).toEqual([1, 2, 3, 4, 5]);
  const stored = await api.database.orm.em.fork().find(WorkflowVersion, { workflow: workflow.id }, { orderBy: { number: 'asc' } });
  expect(stored.map((version) => version.number)).toEqual([1, 2, 3, 4, 5]);
});

test('the list and a workflow show the latest run', async () => {
  const owner = await api.signUp('runs');
  const as = { token: owner.token };
  const workflow = await createWorkflow(as, { name: 'Ran', graph: example('linear-http') });
  const version = await api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, as);
  const em = api.database.orm.em.fork();
  const stored = await em.findOneOrFail(WorkflowVersion, { workflow: workflow.id, number: version.body.number });
  const run = (id: string, status: 'failed' | 'succeeded', startedAt: Date) =>
    em.create(Run, {
      id,
      workspace: owner.workspaceId,
      workflow: workflow.id,
      version: stored,
      versionNumber: 1,
      trigger: 'api',
      startedBy: owner.userId,
      temporalRunId: randomUUID(),
      status,
      inputs: {},
      startedAt,
    });
  run(`run-${randomUUID()}`, 'failed', new Date(Date.now() - 60_000));
  const latest = run(`run-${randomUUID()}`, 'succeeded', new Date());
  await em.flush();

  const expected = { id: latest.id, status: 'succeeded', startedAt: latest.startedAt.toISOString() };
  expect((await api.request('GET', `/api/v1/workflows/${workflow.id}`, as)).body.lastRun).toEqual(expected);
  expect((await api.request('GET', '/api/v1/workflows', as)).body.items[0]).toMatchObject({ id: workflow.id, latestVersion: 1, lastRun: expected });
});

test('export then import gives the same workflow; credentials and versions are named in warnings', async () => {
  const owner = await api.signUp('exporter');
  const importer = await api.signUp('importer');
  const graph = example('linear-http');
  const credentialId = randomUUID();
  const fetch = graph.nodes.find((node) => node.id === 'fetch');
  if (!fetch?.data) throw new Error('the example lost its fetch node');
  fetch.data.config = { ...fetch.data.config, credentialId };
  const workflow = await createWorkflow({ token: owner.token }, { name: 'Fetch: daily / report', description: 'moves between workspaces', tags: ['io'], graph });
  await api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, { token: owner.token });

  const exported = await api.request('GET', `/api/v1/workflows/${workflow.id}/export?versions=true`, { token: owner.token });
  expect(exported.status).toBe(200);
  expect(exported.headers.get('content-disposition')).toBe('attachment; filename="fetch-daily-report.kai.json"');
  expect(exported.body).toMatchObject({
    kaiFusion: 1,
    notice: expect.stringContaining('Credentials are not exported'),
    workflow: { name: 'Fetch: daily / report', description: 'moves between workspaces', tags: ['io'], graph: saved(graph) },
    versions: [{ number: 1, graph: saved(graph) }],
  });
  const withoutVersions = await api.request('GET', `/api/v1/workflows/${workflow.id}/export`, { token: owner.token });
  expect(withoutVersions.body.versions).toBeUndefined();

  const imported = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: exported.body });
  expect(imported.status).toBe(201);
  expect(imported.body.workflow).toMatchObject({ ...exported.body.workflow, latestVersion: null, createdBy: { userId: importer.userId } });
  expect(imported.body.workflow.id).not.toBe(workflow.id);
  expect(imported.body.warnings).toEqual([expect.stringContaining(`node "fetch" names credential ${credentialId}`), expect.stringContaining('1 published version was not imported')]);

  const reexported = await api.request('GET', `/api/v1/workflows/${imported.body.workflow.id}/export`, { token: importer.token });
  expect(reexported.body.workflow).toEqual(exported.body.workflow);
  expect((await api.request('GET', `/api/v1/workflows/${imported.body.workflow.id}/versions`, { token: importer.token })).body).toEqual([]);

  const plain = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: { kaiFusion: 1, workflow: { name: 'Bare', graph: example('diamond-condition') } } });
  expect(plain.status).toBe(201);
  expect(plain.body).toMatchObject({ workflow: { name: 'Bare', description: '', tags: [] }, warnings: [] });

  const incomplete = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: { kaiFusion: 1, workflow: { name: 'Bare', graph: { nodes: [] } } } });
  expect(incomplete.status).toBe(201);
  expect(incomplete.body.workflow.problems).toEqual([{ path: 'nodes', message: expect.any(String) }]);
  const invalid = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: { kaiFusion: 1, workflow: { name: 'Bad', graph: { nodes: 'none' } } } });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error).toMatchObject({ code: 'invalid_graph', details: [{ path: 'body.workflow.graph.nodes' }] });
  expect((await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: { ...exported.body, kaiFusion: 2 } })).status).toBe(400);
});

test('import takes a bare graph as examples/*.json hold it, checked like a saved one', async () => {
  const importer = await api.signUp('bare-importer');
  const exampleFiles = readdirSync(join(__dirname, '../../examples'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.json'));
  expect(exampleFiles.length).toBeGreaterThanOrEqual(7);
  for (const file of exampleFiles) {
    const graph = JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8'));
    const imported = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: graph });
    expect([file, imported.status]).toEqual([file, 201]);
    expect(imported.body.workflow).toMatchObject({ name: IMPORTED_GRAPH_NAME, graph: saved(graph), problems: [] });
  }

  const unfinished = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: { nodes: [] } });
  expect(unfinished.status).toBe(201);
  expect(unfinished.body.workflow.problems).toEqual([{ path: 'nodes', message: expect.any(String) }]);
  const notAGraph = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: { nodes: 'none' } });
  expect(notAGraph.status).toBe(400);
  expect(notAGraph.body.error.details).toEqual([expect.objectContaining({ path: 'body.nodes' })]);
  const badNode = await api.request('POST', '/api/v1/workflows/import', { token: importer.token, body: { nodes: [{ id: 'x' }], edges: [] } });
  expect(badNode.status).toBe(400);
  expect(badNode.body.error).toMatchObject({ code: 'invalid_graph', details: expect.arrayContaining([expect.objectContaining({ path: 'body.nodes.0.version' })]) });
});

test('viewers read but cannot write; another workspace sees nothing; no token is 401', async () => {
  const owner = await api.signUp('owner');
  const stranger = await api.signUp('stranger');
  const viewer = await addMember(owner, 'viewer');
  const editor = await addMember(owner, 'editor');
  const workflow = await createWorkflow({ token: owner.token }, { name: 'Guarded', graph: example('linear-http') });
  expect((await api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, editor)).status).toBe(201);
  const base = `/api/v1/workflows/${workflow.id}`;

  for (const path of [base, `${base}/versions`, `${base}/versions/1`, `${base}/export`]) {
    expect((await api.request('GET', path, viewer)).status).toBe(200);
    expect((await api.request('GET', path, { token: stranger.token })).status).toBe(404);
    expect((await api.request('GET', path)).status).toBe(401);
  }
  expect((await api.request('GET', '/api/v1/workflows', viewer)).body.items.map((w: { id: string }) => w.id)).toEqual([workflow.id]);
  expect((await api.request('GET', '/api/v1/workflows', { token: stranger.token })).body.items).toEqual([]);

  const writes: [string, string, unknown][] = [
    ['POST', '/api/v1/workflows', { name: 'Nope' }],
    ['POST', '/api/v1/workflows/import', { kaiFusion: 1, workflow: { name: 'Nope', graph: example('linear-http') } }],
    ['PATCH', base, { name: 'Nope' }],
    ['POST', `${base}/versions`, undefined],
    ['DELETE', base, undefined],
  ];
  for (const [method, path, body] of writes) {
    const answer = await api.request(method, path, { ...viewer, body });
    expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
  }
  for (const [method, path, body] of writes.filter(([, path]) => path.startsWith(base))) {
    const answer = await api.request(method, path, { token: stranger.token, body });
    expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
  }
  expect((await api.request('PATCH', base, { ...editor, body: { name: 'Edited' } })).body.name).toBe('Edited');
  expect((await api.request('GET', base, { token: owner.token })).body).toMatchObject({ name: 'Edited', latestVersion: 1 });
});

test('publishing gives each Webhook node its endpoint, and a later publish keeps the same endpoint', async () => {
  const owner = await api.signUp('hooks');
  const as = { token: owner.token };
  const graph: GraphInput = {
    nodes: [
      { id: 'hook', type: 'webhook', version: 1, data: { config: { responseMode: 'sync' } } },
      { id: 'end', type: 'end', version: 1, data: { config: {} } },
    ],
    edges: [{ id: 'e', source: 'hook', target: 'end' }],
  };
  const workflow = await createWorkflow(as, { name: 'Hooked', graph });
  const v1 = await api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, as);
  expect(v1.status).toBe(201);
  expect(v1.body.webhooks).toEqual([{ id: expect.stringMatching(/^wh_[A-Za-z0-9_-]{40,}$/), nodeId: 'hook', path: expect.stringMatching(/^\/api\/webhooks\/wh_/) }]);
  const v2 = await api.request('POST', `/api/v1/workflows/${workflow.id}/versions`, { ...as, body: { moveSchedules: true } });
  expect(v2.body.webhooks).toEqual(v1.body.webhooks);
  expect(v2.body.schedules).toEqual({ moved: [], onOlderVersions: [] });
});
