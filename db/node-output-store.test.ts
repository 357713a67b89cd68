import { keepPayloadSmall, type OutputKey } from '../activities/output-store';
import { isOutputRef } from '../engine/output-ref';
import { NodeOutput } from './entities';
import { DbOutputStore } from './node-output-store';
import { createTestDatabase, type TestDatabase } from './test-database';

let db: TestDatabase;
let store: DbOutputStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new DbOutputStore(db.orm.em);
});
afterAll(async () => {
  await db?.close();
});

const WORKSPACE = '6f1c2a3b-0000-4000-8000-000000000001';
const key: OutputKey = { workspaceId: WORKSPACE, workflowId: 'wf-store-test', runId: 'run-1', nodeId: 'fetch', attempt: 2 };

test('a saved output is a row keyed db:<uuid> and loads back equal', async () => {
  const value = { items: Array.from({ length: 2000 }, (_, i) => ({ i, text: `line ${i} ✓` })), empty: {}, none: null };
  const json = JSON.stringify(value);
  const id = await store.save(key, json);
  expect(id).toMatch(/^db:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(await store.load(id, WORKSPACE)).toEqual(value);

  const row = await db.orm.em.fork().findOneOrFail(NodeOutput, { id });
  expect(row).toMatchObject({ workspaceId: WORKSPACE, workflowId: 'wf-store-test', runId: 'run-1', nodeId: 'fetch', attempt: 2, bytes: Buffer.byteLength(json) });
  expect(row.createdAt).toBeInstanceOf(Date);
});

test('any JSON value round-trips, not only objects', async () => {
  for (const value of ['a long string '.repeat(100), [1, 'two', { three: 3 }], 42, true]) {
    expect(await store.load(await store.save(key, JSON.stringify(value)), WORKSPACE)).toEqual(value);
  }
});

test('keepPayloadSmall keeps small outputs inline and stores large ones here', async () => {
  const small = { ok: true };
  expect(await keepPayloadSmall(small, key, store, 1024)).toBe(small);

  const large = { body: 'x'.repeat(5000) };
  const ref = await keepPayloadSmall(large, key, store, 1024);
  if (!isOutputRef(ref)) throw new Error('expected a reference');
  expect(ref.bytes).toBe(Buffer.byteLength(JSON.stringify(large)));
  expect(await store.load(ref.$kaiRef, WORKSPACE)).toEqual(large);
});

test('unknown and foreign ids are clear errors', async () => {
  await expect(store.load('db:00000000-0000-4000-8000-000000000000', WORKSPACE)).rejects.toThrow(
    'no stored output db:00000000-0000-4000-8000-000000000000',
  );
  await expect(store.load('file:wf/run/node.1.json', WORKSPACE)).rejects.toThrow('not a stored output of this store: file:wf/run/node.1.json');
});

test('an output written for one workspace is not found from another, nor from a run outside any', async () => {
  const id = await store.save(key, JSON.stringify({ secret: 'plans' }));
  await expect(store.load(id, '6f1c2a3b-0000-4000-8000-000000000002')).rejects.toThrow(`no stored output ${id} in this workspace`);
  await expect(store.load(id, undefined)).rejects.toThrow(`no stored output ${id} in this workspace`);
});
