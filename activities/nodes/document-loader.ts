import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import type { Document } from '../documents/document';
import { documentsOutputSchema, storeDocuments } from '../documents/documents-io';
import { htmlToText } from '../documents/html-to-text';
import { pdfText } from '../documents/pdf-text';
import { readCappedBody } from '../documents/read-capped-body';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

const configSchema = z
  .object({
    format: z.enum(['text', 'markdown', 'html', 'json', 'pdf']).describe('how to read the content'),
    content: z.string().max(20_000_000).meta(widget('multiline')).optional().describe('the document itself (base64 for PDF), or a template reading it from another node'),
    encoding: z.enum(['utf8', 'base64']).default('utf8').describe('how `content` is written'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional().describe('where to fetch the document instead of `content`'),
    source: z.string().max(2000).optional().describe('the name kept as metadata.source (default: the URL, or "inline")'),
    timeout: durationSchema.default('30s').describe('for `url`'),
    maxBytes: z.number().int().min(1024).max(50_000_000).default(10_000_000).describe('a larger download fails the node'),
  })
  .strict()
  .refine((config) => (config.content === undefined) !== (config.url === undefined), { message: 'set exactly one of content and url', path: ['content'] });

type LoaderConfig = z.output<typeof configSchema>;

export const documentLoaderNode = defineTaskNode({
  type: 'document-loader',
  version: 1,
  category: 'documents',
  label: 'Document Loader',
  description:
    'Reads one document (text, Markdown, HTML, JSON or PDF) given inline or fetched from a URL, into a document for ' +
    'the splitter. HTML is cleaned to text; PDF text is extracted page by page; JSON is kept as indented text.',
  config: configSchema,
  output: documentsOutputSchema,
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Documents' }],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 3 },
  timeouts: { startToClose: '5m' },
  async run(context) {
    const { config } = context;
    const bytes = config.url ? await download(config.url, config, context) : Buffer.from(config.content ?? '', config.encoding);
    const source = config.source ?? config.url ?? 'inline';
    const document: Document = { id: source, text: await readText(bytes, config, context), metadata: { source, format: config.format } };
    return storeDocuments(context, [document]);
  },
});

async function readText(bytes: Buffer, config: LoaderConfig, { node: { label }, signal }: { node: { label: string }; signal: AbortSignal }): Promise<string> {
  switch (config.format) {
    case 'text':
    case 'markdown':
      return bytes.toString('utf8');
    case 'html':
      return htmlToText(bytes.toString('utf8')).text;
    case 'json':
      try {
        return JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2);
      } catch (error) {
        throw ApplicationFailure.create({ message: `${label}: the content is not valid JSON (${(error as Error).message})`, type: 'InvalidDocument', nonRetryable: true });
      }
    case 'pdf':
      try {
        return (await pdfText(bytes, signal)).text;
      } catch (error) {
        throw ApplicationFailure.create({ message: `${label}: the content is not a readable PDF (${(error as Error).message})`, type: 'InvalidDocument', nonRetryable: true });
      }
  }
}

async function download(url: string, config: LoaderConfig, context: { fetch: typeof fetch; signal: AbortSignal; node: { label: string } }): Promise<Buffer> {
  const response = await context.fetch(url, { signal: AbortSignal.any([context.signal, AbortSignal.timeout(durationToMs(config.timeout))]) });
  if (!response.ok) {
    await response.body?.cancel();
    const retryable = response.status === 429 || response.status >= 500;
    throw ApplicationFailure.create({ message: `${context.node.label}: ${new URL(url).origin} answered ${response.status}`, type: retryable ? 'HttpServerError' : 'HttpClientError', nonRetryable: !retryable });
  }
  const { bytes, truncated } = await readCappedBody(response, config.maxBytes);
  if (truncated) throw ApplicationFailure.create({ message: `${context.node.label}: the document is larger than maxBytes (${config.maxBytes})`, type: 'DocumentTooLarge', nonRetryable: true });
  return bytes;
}
