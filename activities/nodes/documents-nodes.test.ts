import { PDFDocument, StandardFonts } from 'pdf-lib';
import { FileOutputStore } from '../output-store';
import type { OutputRef } from '../../engine/output-ref';
import { graphEdge, graphNode } from '../../test/graph-builders';
import { startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { createTemporalHarness, type TemporalHarness } from '../../test/temporal-harness';
import type { Document } from '../documents/document';

let temporal: TemporalHarness;
let site: HttpFixture;
beforeAll(async () => {
  [temporal, site] = await Promise.all([createTemporalHarness(), startHttpFixture()]);
  const html = (title: string, body: string) => `<html><head><title>${title}</title><script>var secret = 1;</script></head><body><nav>menu</nav>${body}<footer>footer text</footer></body></html>`;
  const serve = (path: string, type: string, body: string | Buffer) => site.route(path, (_request, response) => void response.writeHead(200, { 'content-type': type }).end(body));
  serve('/', 'text/html', html('Home', '<h1>Home</h1><p>Start here.</p><a href="/a">A</a> <a href="/b#top">B</a> <a href="/notes.txt">notes</a> <a href="/away">away</a> <a href="/slow">slow</a>'));
  serve('/a', 'text/html', html('Page A', '<p>Alpha page.</p><a href="/a/deep">deeper</a>'));
  serve('/a/deep', 'text/html', html('Deep', '<p>Too deep to read at depth 1.</p>'));
  serve('/b', 'text/html', html('Page B', `<p>${'Bravo '.repeat(3000)}</p>`));
  serve('/notes.txt', 'text/plain', 'Plain   notes\n\n\n\nwith spacing.');
  site.route('/away', (_request, response) => void response.writeHead(302, { location: 'http://localhost:1/elsewhere' }).end());
  site.route('/slow', (_request, response) => void setTimeout(() => response.writeHead(200, { 'content-type': 'text/html' }).end('<p>late</p>'), 3000));
}, 60_000);
afterAll(async () => {
  await Promise.all([temporal?.close(), site?.close()]);
});

/** Runs Start → node → End and returns the node's output with its stored documents loaded. */
async function runNode(type: string, config: Record<string, unknown>, upstream?: { type: string; config: Record<string, unknown> }) {
  const nodes = [graphNode('start', 'start'), graphNode('node', type, config), graphNode('end', 'end', { value: '{{ nodes.node.output }}' })];
  const edges = [graphEdge('node', 'end')];
  if (upstream) {
    nodes.push(graphNode('upstream', upstream.type, upstream.config));
    edges.push(graphEdge('start', 'upstream'), graphEdge('upstream', 'node'));
  } else {
    edges.push(graphEdge('start', 'node'));
  }
  const { output } = await temporal.run({ nodes, edges });
  const result = output as { documents: OutputRef; count: number; skipped?: unknown };
  const documents = (await new FileOutputStore(temporal.outputsDir).load(result.documents.$kaiRef, undefined)) as Document[];
  return { ...result, documents };
}

test('Web Scraper crawls the same site breadth-first to its depth, cleans HTML, caps size, skips what it must', async () => {
  const result = await runNode('web-scraper', { urls: [`${site.url}/`], maxDepth: 1, maxBytesPerPage: 4096, timeout: '1s' });
  const bySource = Object.fromEntries(result.documents.map((document) => [document.metadata.source, document]));
  expect(Object.keys(bySource).sort()).toEqual([`${site.url}/`, `${site.url}/a`, `${site.url}/b`, `${site.url}/notes.txt`].sort());
  expect(bySource[`${site.url}/`]).toMatchObject({ text: 'Home\n\nStart here.\nA B notes away slow', metadata: { title: 'Home' } });
  expect(bySource[`${site.url}/a`].text).not.toMatch(/menu|footer|secret/);
  expect(bySource[`${site.url}/b`].metadata.truncated).toBe(true);
  expect(bySource[`${site.url}/b`].text.length).toBeLessThan(4096);
  expect(bySource[`${site.url}/notes.txt`].text).toBe('Plain notes\n\nwith spacing.');
  expect(result.skipped).toEqual(
    expect.arrayContaining([
      { url: `${site.url}/away`, reason: expect.stringMatching(/redirected off the site/) },
      { url: `${site.url}/slow`, reason: expect.stringMatching(/timeout|abort/i) },
    ]),
  );
  expect(site.hits('/a/deep')).toBe(0);
  expect(site.hits('/b')).toBe(1);

  const capped = await runNode('web-scraper', { urls: [`${site.url}/`], maxDepth: 3, maxPages: 2 });
  expect(capped.count).toBe(2);
});

test('Document Loader reads a PDF, JSON and HTML; Text Splitter cuts it with overlap, keeping source and chunk index', async () => {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText('The harbour master keeps the keys.', { x: 50, y: 700, font, size: 12 });
  pdf.addPage().drawText('Second page about tides.', { x: 50, y: 700, font, size: 12 });
  const loaded = await runNode('document-loader', { format: 'pdf', content: Buffer.from(await pdf.save()).toString('base64'), encoding: 'base64', source: 'harbour.pdf' });
  expect(loaded.documents).toEqual([{ id: 'harbour.pdf', text: expect.stringMatching(/The harbour master keeps the keys\.\s+Second page about tides\./), metadata: { source: 'harbour.pdf', format: 'pdf' } }]);

  const json = await runNode('document-loader', { format: 'json', content: '{"a":[1,2]}' });
  expect(json.documents[0].text).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
  const html = await runNode('document-loader', { format: 'html', url: `${site.url}/a` });
  expect(html.documents[0]).toMatchObject({ id: `${site.url}/a`, text: expect.stringContaining('Alpha page.') });

  const markdown = '# Title\n\n' + Array.from({ length: 12 }, (_, index) => `Paragraph ${index} has a handful of words in it.`).join('\n\n');
  const split = await runNode('text-splitter', { method: 'markdown', chunkSize: 120, chunkOverlap: 50 }, { type: 'document-loader', config: { format: 'markdown', content: markdown, source: 'notes.md' } });
  expect(split.count).toBeGreaterThan(3);
  split.documents.forEach((chunk, index) => {
    expect(chunk).toMatchObject({ id: `notes.md#${index}`, metadata: { source: 'notes.md', format: 'markdown', chunk: index } });
    expect(chunk.text.length).toBeLessThanOrEqual(120);
  });
  const lastOfFirst = split.documents[0].text.split('\n').at(-1)!;
  expect(split.documents[1].text).toContain(lastOfFirst);

  const tokens = await runNode('text-splitter', { method: 'token', chunkSize: 16, chunkOverlap: 4 }, { type: 'document-loader', config: { format: 'text', content: markdown } });
  expect(tokens.count).toBeGreaterThan(5);
});

test('bad config fails the node at once, naming the field', async () => {
  await expect(runNode('text-splitter', { chunkSize: 100, chunkOverlap: 100 })).rejects.toThrow(/chunkOverlap: must be smaller than chunkSize/);
});
