import { WorkflowFailedError } from '@temporalio/client';
import type { OutputRef } from '../../engine/output-ref';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { createTemporalHarness, quietRuntime, type TemporalHarness } from '../../test/temporal-harness';
import { runStateQuery } from '../../workflows/messages';
import type { CredentialResolver } from '../credential-kinds';
import type { Document } from '../documents/document';
import { FileOutputStore } from '../output-store';

/** GitHub Loader and YouTube Transcript against local servers speaking GitHub's REST API and YouTube's timedtext. */

const TOKEN = 'ghp_local_token';
let temporal: TemporalHarness;
let github: HttpFixture;
let youtube: HttpFixture;
const seen: { authorization?: string; accept?: string }[] = [];

const FILES: Record<string, string | Buffer> = {
  'README.md': '# Handbook',
  'docs/intro.md': 'Welcome to the handbook.',
  'docs/deep/more.md': 'More, deeper.',
  'docs/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
  'docs/big.md': 'x'.repeat(5000),
  'docs/notes.txt': 'not markdown',
};

beforeAll(async () => {
  quietRuntime('ERROR');
  [github, youtube] = await Promise.all([startHttpFixture(), startHttpFixture()]);
  github.route('/repos/acme/handbook', (_request, response) => sendJson(response, 200, { full_name: 'acme/handbook', default_branch: 'main' }));
  github.route('/repos/acme/handbook/git/trees/main', (request, response) => {
    seen.push({ authorization: request.headers.authorization, accept: request.headers.accept });
    const tree = Object.entries(FILES).map(([path, content]) => ({ path, mode: '100644', type: 'blob', sha: path, size: content.length }));
    sendJson(response, 200, { sha: 'main', truncated: false, tree: [{ path: 'docs', mode: '040000', type: 'tree', sha: 'd' }, ...tree] });
  });
  for (const [path, content] of Object.entries(FILES)) {
    github.route(`/repos/acme/handbook/contents/${path}`, (request, response) => {
      seen.push({ authorization: request.headers.authorization, accept: request.headers.accept });
      // The tree said 5000 bytes for big.md; the raw answer is what the loader must cap as well.
      response.writeHead(200, { 'content-type': 'application/vnd.github.raw' }).end(content);
    });
  }
  youtube.route('/api/timedtext', (request, response) => {
    const params = new URL(request.url ?? '/', 'http://x').searchParams;
    const events = (lines: [number, string][]) => ({ wireMagic: 'pb3', events: [{ tStartMs: 0, dDurationMs: 10 }, ...lines.map(([tStartMs, text]) => ({ tStartMs, dDurationMs: 1000, segs: [{ utf8: text }] }))] });
    if (params.get('v') !== 'dQw4w9WgXcQ' || params.get('fmt') !== 'json3' || params.get('lang') !== 'en') return void response.writeHead(200).end('');
    if (params.get('kind') === 'asr') return sendJson(response, 200, events([[0, 'automatic words']]));
    sendJson(response, 200, events([[1500, 'Never gonna'], [65_000, ' give you\nup ']]));
  });
  const credentials: CredentialResolver = { resolve: async () => ({ id: 'gh', name: 'GitHub token', kind: 'http_bearer', data: { token: TOKEN } }) };
  temporal = await createTemporalHarness({ credentials });
}, 60_000);
afterAll(async () => {
  await temporal?.close();
  await Promise.all([github?.close(), youtube?.close()]);
});

const single = (type: string, config: Record<string, unknown>, settings = {}) => ({
  nodes: [node('start', 'start'), node('n', type, config, settings), node('end', 'end', { value: '{{ nodes.n.output }}' })],
  edges: [edge('start', 'n'), edge('n', 'end')],
});

async function load(type: string, config: Record<string, unknown>) {
  const output = (await temporal.run(single(type, config))).output as { documents: OutputRef; skipped?: unknown; ref?: string };
  const documents = (await new FileOutputStore(temporal.outputsDir).load(output.documents.$kaiRef, undefined)) as Document[];
  return { ...output, documents };
}

async function failure(type: string, config: Record<string, unknown>) {
  const handle = await temporal.start(single(type, config, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }));
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  return (await handle.query(runStateQuery)).nodes.n;
}

test('GitHub Loader reads the text files of a folder at the default branch, with the token, skipping binary and large ones', async () => {
  const loaded = await load('github-loader', { repository: 'acme/handbook', pathPrefix: 'docs/', extensions: ['.md', '.png'], maxFileBytes: 1000, baseUrl: github.url, credentialId: 'gh' });
  expect(loaded.ref).toBe('main');
  expect(loaded.documents).toEqual([
    { id: 'acme/handbook/docs/deep/more.md', text: 'More, deeper.', metadata: { source: 'acme/handbook/docs/deep/more.md', repository: 'acme/handbook', ref: 'main', path: 'docs/deep/more.md' } },
    { id: 'acme/handbook/docs/intro.md', text: 'Welcome to the handbook.', metadata: { source: 'acme/handbook/docs/intro.md', repository: 'acme/handbook', ref: 'main', path: 'docs/intro.md' } },
  ]);
  expect(loaded.skipped).toEqual([
    { path: 'docs/big.md', reason: 'larger than maxFileBytes (1000)' },
    { path: 'docs/logo.png', reason: 'binary' },
  ]);
  expect(github.hits('/repos/acme/handbook/contents/docs/big.md')).toBe(0);
  expect(github.hits('/repos/acme/handbook/contents/docs/notes.txt')).toBe(0);
  expect(seen.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
  expect(seen.at(-1)?.accept).toBe('application/vnd.github.raw');

  const capped = await load('github-loader', { repository: 'acme/handbook', ref: 'main', maxFiles: 2, baseUrl: github.url });
  expect(capped.documents.map((document) => document.metadata.path)).toEqual(['README.md', 'docs/big.md']);
  expect(capped.skipped).toHaveLength(4);

  const missing = await failure('github-loader', { repository: 'acme/nothing', baseUrl: github.url });
  expect(missing).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpClientError', message: expect.stringContaining('/repos/acme/nothing answered 404') } });
  expect(missing.error?.message).not.toContain(TOKEN);
});

test('YouTube Transcript reads uploaded or automatic captions from a video URL or id, with timestamps if asked', async () => {
  const watched = await load('youtube-transcript', { video: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42', baseUrl: youtube.url });
  expect(watched.documents).toEqual([
    { id: `${youtube.url}/watch?v=dQw4w9WgXcQ`, text: 'Never gonna\ngive you up', metadata: { source: `${youtube.url}/watch?v=dQw4w9WgXcQ`, videoId: 'dQw4w9WgXcQ', language: 'en', automatic: false } },
  ]);
  expect((await load('youtube-transcript', { video: 'https://youtu.be/dQw4w9WgXcQ', timestamps: true, baseUrl: youtube.url })).documents[0].text).toBe('[0:01] Never gonna\n[1:05] give you up');
  expect((await load('youtube-transcript', { video: 'dQw4w9WgXcQ', automatic: true, baseUrl: youtube.url })).documents[0].text).toBe('automatic words');

  const none = await failure('youtube-transcript', { video: 'dQw4w9WgXcQ', language: 'fr', baseUrl: youtube.url });
  expect(none).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'NoTranscript', message: 'YouTube Transcript: video dQw4w9WgXcQ has no uploaded "fr" captions' } });
  const bad = await failure('youtube-transcript', { video: 'https://example.com/video', baseUrl: youtube.url });
  expect(bad).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'InvalidNodeConfig' } });
});

test('both loaders go through the outbound policy: a worker that may not reach loopback refuses the local servers', async () => {
  const guarded = await createTemporalHarness({ outboundAllow: [] });
  try {
    for (const [type, config] of [
      ['github-loader', { repository: 'acme/handbook', baseUrl: github.url }],
      ['youtube-transcript', { video: 'dQw4w9WgXcQ', baseUrl: youtube.url }],
    ] as const) {
      const handle = await guarded.start(single(type, config));
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      expect((await handle.query(runStateQuery)).nodes.n).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'OutboundRequestRefused' } });
    }
  } finally {
    await guarded.close();
  }
});
