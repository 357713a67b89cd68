import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import { optionalCredentialIdSchema } from '../credential-kinds';
import type { Document } from '../documents/document';
import { documentsOutputSchema, storeDocuments } from '../documents/documents-io';
import { readCappedBody } from '../documents/read-capped-body';
import { fetchJson, fetchOk, underBase, type FetchOkOptions } from '../net/fetch-ok';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

const repositoryAnswer = z.object({ default_branch: z.string() }).loose();
const treeAnswer = z
  .object({ truncated: z.boolean().optional(), tree: z.array(z.object({ path: z.string(), type: z.string(), size: z.number().optional(), sha: z.string().optional() }).loose()) })
  .loose();

const configSchema = z
  .object({
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. temporalio/samples-typescript'),
    ref: z.string().max(250).optional().describe('a branch, tag or commit (default: the repository’s default branch)'),
    pathPrefix: z.string().max(500).default('').describe('only files under this folder, e.g. docs/'),
    extensions: z.array(z.string().regex(/^\.[\w.-]+$/, 'must start with a dot, e.g. .md')).max(50).default([]).describe('only files ending so, e.g. [".md", ".ts"]; empty: every file'),
    maxFiles: z.number().int().min(1).max(1000).default(100).describe('the first files in path order; the rest are listed as skipped'),
    maxFileBytes: z.number().int().min(1).max(10_000_000).default(1_000_000).describe('larger files are skipped'),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.github.com').describe('the GitHub REST API (GitHub Enterprise: https://host/api/v3)'),
    credentialId: optionalCredentialIdSchema('an HTTP bearer credential holding a GitHub token, for private repositories and higher rate limits'),
    timeout: durationSchema.default('30s').describe('per request'),
  })
  .strict();

export const githubLoaderNode = defineTaskNode({
  type: 'github-loader',
  version: 1,
  category: 'documents',
  label: 'GitHub Loader',
  description:
    'Reads the text files of a GitHub repository (at a branch, tag or commit; optionally one folder and some file ' +
    'extensions) into documents for the splitter, one per file, through the GitHub REST API. Binary and oversized ' +
    "files are skipped and listed. 429 and 5xx are retried by the node's retry policy.",
  config: configSchema,
  output: documentsOutputSchema.extend({
    ref: z.string(),
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })).describe('files left out, and why'),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Documents' }],
  credentialKinds: ['http_bearer'],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 4, nonRetryableErrorTypes: ['HttpClientError', 'UnexpectedResponse'] },
  timeouts: { startToClose: '10m' },
  async run(context) {
    const { config, node, credential } = context;
    const request: FetchOkOptions = {
      fetch: context.fetch,
      signal: context.signal,
      timeoutMs: durationToMs(config.timeout),
      label: node.label,
      headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', ...(credential?.kind === 'http_bearer' ? { authorization: `Bearer ${credential.data.token}` } : {}) },
    };
    const api = (path: string) => underBase(config.baseUrl, `repos/${config.repository}/${path}`);
    const answer = async <T>(url: URL, shape: z.ZodType<T>): Promise<T> => {
      const parsed = shape.safeParse(await fetchJson(url, request));
      if (parsed.success) return parsed.data;
      throw ApplicationFailure.create({ message: `${node.label}: ${url.origin} did not answer as the GitHub REST API`, type: 'UnexpectedResponse', nonRetryable: true });
    };
    const ref = config.ref || (await answer(underBase(config.baseUrl, `repos/${config.repository}`), repositoryAnswer)).default_branch;
    const tree = await answer(api(`git/trees/${encodeURIComponent(ref)}?recursive=1`), treeAnswer);
    const skipped: { path: string; reason: string }[] = [];
    const wanted = tree.tree
      .filter((entry) => entry.type === 'blob' && entry.path.startsWith(config.pathPrefix))
      .filter((entry) => config.extensions.length === 0 || config.extensions.some((extension) => entry.path.endsWith(extension)))
      // Code-point order, as git lists paths: the same on every worker whatever its locale.
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const documents: Document[] = [];
    for (const [index, entry] of wanted.entries()) {
      if (index >= config.maxFiles) skipped.push({ path: entry.path, reason: `past maxFiles (${config.maxFiles})` });
      else if ((entry.size ?? 0) > config.maxFileBytes) skipped.push({ path: entry.path, reason: `larger than maxFileBytes (${config.maxFileBytes})` });
      else {
        const url = api(`contents/${entry.path.split('/').map(encodeURIComponent).join('/')}?ref=${encodeURIComponent(ref)}`);
        const response = await fetchOk(url, { ...request, headers: { ...request.headers, accept: 'application/vnd.github.raw' } });
        const { bytes, truncated } = await readCappedBody(response, config.maxFileBytes);
        // A NUL byte is how git itself tells binary files from text.
        if (truncated) skipped.push({ path: entry.path, reason: `larger than maxFileBytes (${config.maxFileBytes})` });
        else if (bytes.includes(0)) skipped.push({ path: entry.path, reason: 'binary' });
        else documents.push(fileDocument(config.repository, ref, entry.path, bytes.toString('utf8')));
      }
    }
    if (tree.truncated) skipped.push({ path: config.pathPrefix || '/', reason: 'GitHub truncated the file list (over 100,000 entries): narrow pathPrefix' });
    return { ...(await storeDocuments(context, documents)), ref, skipped };
  },
});

function fileDocument(repository: string, ref: string, path: string, text: string): Document {
  const source = `${repository}/${path}`;
  return { id: source, text, metadata: { source, repository, ref, path } };
}
