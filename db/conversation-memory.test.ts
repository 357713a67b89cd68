import { randomUUID } from 'node:crypto';
import { DbConversationMemory } from './conversation-memory';
import { NodeLiveEvent, Workspace } from './entities';
import { DbNodeEventSink, lockLiveEventStreams } from './node-event-sink';
import { createTestDatabase, type TestDatabase } from './test-database';
import { waitFor } from '../test/wait-for';

let db: TestDatabase;
let memory: DbConversationMemory;
let workspaceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  memory = new DbConversationMemory(db.orm.em);
  const em = db.orm.em.fork();
  const workspace = em.create(Workspace, { name: 'memory' });
  await em.flush();
  workspaceId = workspace.id;
});
afterAll(async () => {
  await db?.close();
});

const turn = (role: 'user' | 'assistant', content: string) => ({ role, content });

test('a retried writer replaces its turns and never reads them back; sessions and workspaces stay apart', async () => {
  const scope = { workspaceId, sessionId: 's1' };
  await memory.append(scope, { runId: 'run-1', nodeId: 'llm' }, [turn('user', 'first'), turn('assistant', 'one')]);
  await memory.append(scope, { runId: 'run-2', nodeId: 'llm' }, [turn('user', 'draft'), turn('assistant', 'failed attempt')]);
  await memory.append(scope, { runId: 'run-2', nodeId: 'llm' }, [turn('user', 'second'), turn('assistant', 'two')]);

  const all = await memory.load(scope, { window: 10, writer: { runId: 'run-3', nodeId: 'llm' } });
  expect(all.turns.map((t) => t.content)).toEqual(['first', 'one', 'second', 'two']);
  const asRun2 = await memory.load(scope, { window: 10, writer: { runId: 'run-2', nodeId: 'llm' } });
  expect(asRun2.turns.map((t) => t.content)).toEqual(['first', 'one']);

  expect((await memory.load({ workspaceId, sessionId: 's2' }, { window: 10, writer: { runId: 'x', nodeId: 'y' } })).turns).toEqual([]);
  expect((await memory.load({ sessionId: 's1' }, { window: 10, writer: { runId: 'x', nodeId: 'y' } })).turns).toEqual([]);
});

test('turns older than the window are offered for summarising until a summary covers them', async () => {
  const scope = { workspaceId, sessionId: `s-${randomUUID()}` };
  const writer = { runId: 'reader', nodeId: 'llm' };
  for (const n of [1, 2, 3]) await memory.append(scope, { runId: `run-${n}`, nodeId: 'llm' }, [turn('user', `q${n}`), turn('assistant', `a${n}`)]);
  const first = await memory.load(scope, { window: 2, writer, withUnsummarised: true });
  expect(first.turns.map((t) => t.content)).toEqual(['q3', 'a3']);
  expect(first.unsummarised.map((t) => t.content)).toEqual(['q1', 'a1', 'q2', 'a2']);
  await memory.saveSummary(scope, 'asked 1 and 2', first.unsummarisedThrough as number);

  const second = await memory.load(scope, { window: 2, writer, withUnsummarised: true });
  expect(second).toMatchObject({ summary: 'asked 1 and 2', unsummarised: [], unsummarisedThrough: undefined });
  expect((await memory.load(scope, { window: 2, writer })).unsummarised).toEqual([]);
});

test('live events are numbered per node attempt, stored in publishing order, and all of them by a flush', async () => {
  const sink = new DbNodeEventSink(db.orm.em);
  const run = { workflowId: `run-${randomUUID()}`, runId: 'r' };
  for (const text of ['a', 'b', 'c']) sink.publish(run, { nodeId: 'llm', attempt: 1, type: 'llm.token', data: { text } });
  sink.publish(run, { nodeId: 'llm', attempt: 2, type: 'llm.reset', data: { attempt: 2 } });
  const find = () => db.orm.em.fork().find(NodeLiveEvent, { workflowId: run.workflowId }, { orderBy: { id: 'asc' } });
  await sink.flush();
  expect((await find()).map((e) => [e.attempt, e.seq, e.type])).toEqual([
    [1, 1, 'llm.token'],
    [1, 2, 'llm.token'],
    [1, 3, 'llm.token'],
    [2, 1, 'llm.reset'],
  ]);
  sink.publish(run, { nodeId: 'llm', attempt: 2, type: 'llm.token', data: { text: 'd' } });
  // Nothing flushes it now: only the sink's own timer can write it.
  await waitFor('the timer to write the unflushed event', async () => (await find()).length === 5);
  expect((await find()).at(-1)).toMatchObject({ attempt: 2, seq: 2, data: { text: 'd' } });
});

test("a run's live events become visible in id order: a second writer waits for the first one's commit", async () => {
  const run = { workflowId: `run-${randomUUID()}`, runId: 'r' };
  const find = (workflowId: string) => db.orm.em.fork().find(NodeLiveEvent, { workflowId }, { orderBy: { id: 'asc' } });
  let releaseFirst!: () => void;
  const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
  let firstInserted!: () => void;
  const firstHasRow = new Promise<void>((resolve) => (firstInserted = resolve));
  // Another worker's write for the same run, caught between taking its id and committing. (Embedded PGlite runs every
  // connection through one session, so there the second write waits for the session; on PostgreSQL, for the lock.)
  const first = db.orm.em.fork().transactional(async (tx) => {
    await lockLiveEventStreams(tx, [run.workflowId]);
    await tx.insert(NodeLiveEvent, { ...run, nodeId: 'a', attempt: 1, seq: 1, type: 'llm.token', data: { text: 'first' }, createdAt: new Date() });
    firstInserted();
    await firstHolds;
  });
  await firstHasRow;

  const sink = new DbNodeEventSink(db.orm.em);
  sink.publish(run, { nodeId: 'b', attempt: 1, type: 'llm.token', data: { text: 'second' } });
  let secondStored = false;
  const second = sink.flush().then(() => (secondStored = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const storedWhileFirstOpen = secondStored;
  releaseFirst();
  await Promise.all([first, second]);
  expect(storedWhileFirstOpen).toBe(false);
  expect((await find(run.workflowId)).map((event) => event.data)).toEqual([{ text: 'first' }, { text: 'second' }]);
});
