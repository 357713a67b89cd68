import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import { documentsOutputSchema, storeDocuments } from '../documents/documents-io';
import { fetchOk, underBase } from '../net/fetch-ok';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

/** A caption track in YouTube's json3 format: timed events, each with text segments. */
const json3Track = z
  .object({ events: z.array(z.object({ tStartMs: z.number().optional(), segs: z.array(z.object({ utf8: z.string() }).loose()).optional() }).loose()).default([]) })
  .loose();

const VIDEO_ID = /^[\w-]{11}$/;

export const youtubeTranscriptNode = defineTaskNode({
  type: 'youtube-transcript',
  version: 1,
  category: 'documents',
  label: 'YouTube Transcript',
  description:
    'Reads the captions of a YouTube video (uploaded or, optionally, automatic ones) in one language into a document ' +
    "for the splitter, through YouTube's timedtext caption endpoint. A video without such captions fails the node; " +
    "429 and 5xx are retried by the node's retry policy.",
  config: z
    .object({
      video: z.string().min(1).max(500).describe('a video URL (watch?v=…, youtu.be/…, /shorts/…) or its 11-character id; templates allowed'),
      language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language code such as en or pt-BR').default('en'),
      automatic: z.boolean().default(false).describe('read the automatic (speech recognition) captions instead of uploaded ones'),
      timestamps: z.boolean().default(false).describe('start each caption line with its time, e.g. [1:05]'),
      baseUrl: z.url({ protocol: /^https?$/ }).default('https://www.youtube.com').describe('where the timedtext endpoint is (/api/timedtext)'),
      timeout: durationSchema.default('30s').describe('per request'),
    })
    .strict(),
  output: documentsOutputSchema,
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Documents' }],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 4, nonRetryableErrorTypes: ['InvalidNodeConfig', 'HttpClientError', 'NoTranscript'] },
  timeouts: { startToClose: '2m' },
  async run(context) {
    const { config, node } = context;
    const videoId = videoIdOf(config.video);
    if (!videoId) throw ApplicationFailure.create({ message: `${node.label}: config.video is neither a YouTube video URL nor a video id: ${config.video}`, type: 'InvalidNodeConfig', nonRetryable: true });
    const url = underBase(config.baseUrl, 'api/timedtext');
    url.search = new URLSearchParams({ v: videoId, lang: config.language, fmt: 'json3', ...(config.automatic ? { kind: 'asr' } : {}) }).toString();
    const response = await fetchOk(url, { fetch: context.fetch, signal: context.signal, timeoutMs: durationToMs(config.timeout), label: node.label });
    const body = await response.text();
    // YouTube answers a track that does not exist with 200 and an empty body.
    const track = body.trim() === '' ? undefined : json3Track.safeParse(safeJson(body));
    const lines = track?.success ? captionLines(track.data, config.timestamps) : [];
    if (lines.length === 0) {
      const which = `${config.automatic ? 'automatic' : 'uploaded'} "${config.language}"`;
      throw ApplicationFailure.create({ message: `${node.label}: video ${videoId} has no ${which} captions`, type: 'NoTranscript', nonRetryable: true });
    }
    const source = underBase(config.baseUrl, `watch?v=${videoId}`).href;
    return storeDocuments(context, [{ id: source, text: lines.join('\n'), metadata: { source, videoId, language: config.language, automatic: config.automatic } }]);
  },
});

function videoIdOf(video: string): string | undefined {
  const text = video.trim();
  if (VIDEO_ID.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const candidate = url.hostname.endsWith('youtu.be') ? url.pathname.slice(1) : (url.searchParams.get('v') ?? url.pathname.match(/^\/(?:shorts|embed|live)\/([^/]+)/)?.[1]);
  return candidate && VIDEO_ID.test(candidate) ? candidate : undefined;
}

function captionLines(track: z.output<typeof json3Track>, timestamps: boolean): string[] {
  return track.events.flatMap((event) => {
    const text = (event.segs ?? []).map((seg) => seg.utf8).join('').replace(/\s+/g, ' ').trim();
    if (!text) return [];
    return [timestamps ? `[${clock(event.tStartMs ?? 0)}] ${text}` : text];
  });
}

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const mmss = `${h > 0 ? `${String(m).padStart(2, '0')}` : m}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
