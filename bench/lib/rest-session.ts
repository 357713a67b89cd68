import { randomBytes } from 'node:crypto';
import type { RunListDto, RunRecordDto } from '../../contract/runs';
import type { WebhookDto } from '../../contract/webhooks';
import type { GraphInput } from '../../engine/graph';

/** A signed-up user of a running KAI-Fusion, driving it over its public REST API only. */
export interface RestSession {
  /** Saves `graph` as a new workflow and publishes it; resolves with the workflow's id. */
  publishWorkflow(graph: GraphInput): Promise<string>;
  /** Stores a credential (`POST /credentials`); resolves with its id. */
  createCredential(name: string, kind: string, data: Record<string, unknown>): Promise<string>;
  /** Starts a run without waiting; resolves with its id once the 202 is read. */
  startRun(workflowId: string, inputs: Record<string, unknown>): Promise<string>;
  /** Opens the run's Server-Sent Events stream (`GET /runs/{id}/events`); throws unless the answer is 200. */
  openRunEvents(runId: string, signal: AbortSignal): Promise<Response>;
  /** Starts a run with `wait` and resolves with the finished run; throws unless the answer is 200 and succeeded. */
  runAndWait(workflowId: string, inputs: Record<string, unknown>): Promise<RunRecordDto>;
  /** The published workflow's webhook endpoints. */
  webhooks(workflowId: string): Promise<WebhookDto[]>;
  /** How many runs of the workflow the runs list holds, by status. */
  countRuns(workflowId: string): Promise<Record<string, number>>;
}

/** How long a REST start waits for the result; a benchmark run that takes longer is an error, not a figure. */
const RUN_WAIT_SECONDS = 30;

export async function signUpOver(origin: string): Promise<RestSession> {
  const call = async <T>(method: string, route: string, token?: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${origin}/api/v1${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const { accessToken } = await call<{ accessToken: string }>('POST', '/auth/signup', undefined, {
    email: `bench-${randomBytes(4).toString('hex')}@example.com`,
    password: 'correct horse battery staple',
  });
  return {
    createCredential: async (name, kind, data) => (await call<{ id: string }>('POST', '/credentials', accessToken, { name, kind, data })).id,
    startRun: async (workflowId, inputs) => (await call<{ id: string }>('POST', `/workflows/${workflowId}/runs`, accessToken, { inputs })).id,
    async openRunEvents(runId, signal) {
      const response = await fetch(`${origin}/api/v1/runs/${runId}/events`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'text/event-stream' }, signal });
      if (response.status !== 200 || !response.body) throw new Error(`GET /runs/${runId}/events: ${response.status} ${await response.text()}`);
      return response;
    },
    async publishWorkflow(graph) {
      const workflow = await call<{ id: string }>('POST', '/workflows', accessToken, { name: `Bench ${randomBytes(3).toString('hex')}`, graph });
      await call('POST', `/workflows/${workflow.id}/versions`, accessToken);
      return workflow.id;
    },
    async runAndWait(workflowId, inputs) {
      const run = await call<RunRecordDto>('POST', `/workflows/${workflowId}/runs`, accessToken, { inputs, wait: RUN_WAIT_SECONDS });
      if (run.status !== 'succeeded') throw new Error(`run ${run.id} answered ${run.status} after waiting: ${JSON.stringify(run)}`);
      return run;
    },
    webhooks: (workflowId) => call<WebhookDto[]>('GET', `/webhooks?workflowId=${workflowId}`, accessToken),
    async countRuns(workflowId) {
      const counts: Record<string, number> = {};
      let cursor: string | undefined;
      do {
        const page = await call<RunListDto>('GET', `/runs?workflowId=${workflowId}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, accessToken);
        for (const run of page.items) counts[run.status] = (counts[run.status] ?? 0) + 1;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return counts;
    },
  };
}
