import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { kaiDataConverter } from '../../platform/payload-codec/data-converter';
import { ENCRYPTED_ENCODING } from '../../platform/payload-codec/aes-gcm-codec';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { graphEdge, graphNode } from '../../test/graph-builders';

let api: ApiHarness;
let owner: TestAccount;
/** A client of the same server without the codec: it sees what Temporal stores. */
let rawClient: Client;

const MARKER = `secret-${randomBytes(6).toString('hex')}`;
const UI_ORIGIN = 'http://localhost:8233';

beforeAll(async () => {
  api = await createApiHarness({ dataConverter: kaiDataConverter({ payloadKeys: { key: randomBytes(32).toString('base64'), keyId: 'test-key' } }) });
  owner = await api.signUp('codec');
  rawClient = new Client({ connection: await Connection.connect({ address: api.temporal.address }) });
});
afterAll(async () => {
  await rawClient?.connection.close();
  await api?.close();
});

/** Every Payload in a history, except search attributes, which Temporal indexes and so are never encoded. */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata !== undefined) found.push(record as Payload);
  for (const [key, child] of Object.entries(record)) if (key !== 'searchAttributes') payloadsIn(child, found);
  return found;
}

async function runToCompletion(): Promise<string> {
  // Set is computed by the workflow; the Text Splitter is an activity, so its input and result are in the history too.
  const graph = {
    nodes: [
      graphNode('start', 'start'),
      graphNode('shape', 'set', { values: { marker: MARKER, documents: [{ id: 'note', text: MARKER, metadata: {} }] } }),
      graphNode('split', 'text-splitter', {}),
      graphNode('end', 'end', { value: '{{ nodes.shape.output.marker }}' }),
    ],
    edges: [graphEdge('start', 'shape'), graphEdge('shape', 'split'), graphEdge('split', 'end')],
  };
  const created = await api.request('POST', '/api/v1/workflows', { token: owner.token, body: { name: 'encrypted', graph } });
  await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token: owner.token });
  const started = await api.request('POST', `/api/v1/workflows/${created.body.id}/runs`, { token: owner.token, body: { inputs: { note: MARKER } } });
  expect(started.status).toBe(202);
  await api.temporal.client.workflow.getHandle(started.body.id).result();
  return started.body.id as string;
}

test('with the codec on, the history holds only encrypted payloads, the run succeeds and the API shows decoded outputs', async () => {
  const runId = await runToCompletion();
  const history = await rawClient.workflow.getHandle(runId).fetchHistory();
  const payloads = payloadsIn(history);
  expect(payloads.length).toBeGreaterThanOrEqual(4);
  const encodings = new Set(payloads.map((payload) => new TextDecoder().decode(payload.metadata?.encoding)));
  expect([...encodings]).toEqual([ENCRYPTED_ENCODING]);
  expect(Buffer.from(JSON.stringify(history)).toString()).not.toContain(MARKER);

  const detail = await api.request('GET', `/api/v1/runs/${runId}`, { token: owner.token });
  expect(detail.body.status).toBe('succeeded');
  expect(detail.body.result.output).toBe(MARKER);
  expect(detail.body.nodes.find((node: { id: string }) => node.id === 'split').output.documents).toEqual([{ id: 'note#0', text: MARKER, metadata: { chunk: 0 } }]);
});

test('the codec endpoint decodes for a signed-in user, answers the Web UI origin, and refuses anyone else', async () => {
  const runId = await runToCompletion();
  const history = await rawClient.workflow.getHandle(runId).fetchHistory();
  const started = history.events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads?.[0] as Payload;
  const asJson = (payload: Payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, bytes]) => [key, Buffer.from(bytes).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  });
  const post = (direction: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/api/temporal-codec/${direction}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: UI_ORIGIN, ...headers }, body: JSON.stringify(body) });

  const decoded = await post('decode', { payloads: [asJson(started)] }, { authorization: `Bearer ${owner.token}` });
  expect(decoded.status).toBe(200);
  expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  const [plain] = ((await decoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
  expect(Buffer.from(plain.metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(JSON.parse(Buffer.from(plain.data, 'base64').toString())).toMatchObject({ inputs: { note: MARKER } });

  const encoded = await post('encode', { payloads: [asJson(defaultPayloadConverter.toPayload('x'))] }, { authorization: `Bearer ${owner.token}` });
  const [sealed] = ((await encoded.json()) as { payloads: { metadata: Record<string, string> }[] }).payloads;
  expect(Buffer.from(sealed.metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);

  expect((await post('decode', { payloads: [asJson(started)] })).status).toBe(401);
  expect((await post('decode', { payloads: [asJson(started)] }, { authorization: 'Bearer not-a-token' })).status).toBe(401);
  const invalid = await post('decode', { payloads: [{ data: '***' }] }, { authorization: `Bearer ${owner.token}` });
  expect([invalid.status, ((await invalid.json()) as { error: { message: string } }).error.message]).toEqual([400, expect.stringContaining('payloads.0.data')]);
  const preflight = await fetch(`${api.url}/api/temporal-codec/decode`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST' } });
  expect([preflight.status, preflight.headers.get('access-control-allow-headers')]).toEqual([204, expect.stringContaining('authorization')]);
});
