import type { z } from 'zod';
import type { meResponse, sessionResponse, signInBody, signUpBody, workspaceDto } from '$contract/auth';
import type { chatMessageBody, chatSessionDto } from '$contract/chat';
import type { collectionDto, createCollectionBody, searchCollectionBody, searchCollectionResponse } from '$contract/collections';
import type { createCredentialBody, credentialDto, credentialKindDto, updateCredentialBody } from '$contract/credentials';
import type { nodeCategoriesDto, nodeTypeDto } from '$contract/nodes';
import type { approvalDecisionDto, finishedTestRunDto, listRunsQuery, rerunBody, runDetailDto, runListDto, startedRunDto, startRunBody, testRunBody } from '$contract/runs';
import type { backfillScheduleBody, createScheduleBody, scheduleDto, triggerScheduleBody, updateScheduleBody } from '$contract/schedules';
import type { webhookDto, webhookSecretDto } from '$contract/webhooks';
import type {
  createWorkflowBody,
  importedWorkflowDto,
  listWorkflowsQuery,
  publishedVersionDto,
  updateWorkflowBody,
  workflowDocument,
  workflowDto,
  workflowPageDto,
  workflowVersionDto,
  workflowVersionSummaryDto,
} from '$contract/workflows';
import type { ApiClient, QueryValue } from './api-client';

/**
 * Typed calls of /api/v1, one group per resource, typed by the server's own contract module. Pages use these
 * rather than paths, so a contract change shows up as a type error here.
 */

type Out<S extends z.ZodType> = z.output<S>;
type In<S extends z.ZodType> = z.input<S>;
type Query<S extends z.ZodType> = { [K in keyof In<S>]?: QueryValue };

export function authApi(api: ApiClient) {
  return {
    signUp: (body: In<typeof signUpBody>) => api.request<Out<typeof sessionResponse>>('POST', '/auth/signup', { body }),
    signIn: (body: In<typeof signInBody>) => api.request<Out<typeof sessionResponse>>('POST', '/auth/signin', { body }),
    me: () => api.request<Out<typeof meResponse>>('GET', '/auth/me'),
    createWorkspace: (name: string) => api.request<Out<typeof workspaceDto>>('POST', '/workspaces', { body: { name } }),
  };
}

export function workflowsApi(api: ApiClient) {
  const one = (id: string) => `/workflows/${encodeURIComponent(id)}`;
  return {
    list: (query: Query<typeof listWorkflowsQuery>) => api.request<Out<typeof workflowPageDto>>('GET', '/workflows', { query }),
    get: (id: string) => api.request<Out<typeof workflowDto>>('GET', one(id)),
    create: (body: In<typeof createWorkflowBody>) => api.request<Out<typeof workflowDto>>('POST', '/workflows', { body }),
    update: (id: string, body: In<typeof updateWorkflowBody>) => api.request<Out<typeof workflowDto>>('PATCH', one(id), { body }),
    remove: (id: string) => api.request<void>('DELETE', one(id)),
    publish: (id: string) => api.request<Out<typeof publishedVersionDto>>('POST', `${one(id)}/versions`, { body: {} }),
    versions: (id: string) => api.request<Out<typeof workflowVersionSummaryDto>[]>('GET', `${one(id)}/versions`),
    version: (id: string, number: number) => api.request<Out<typeof workflowVersionDto>>('GET', `${one(id)}/versions/${number}`),
    exportDocument: (id: string) => api.request<Out<typeof workflowDocument>>('GET', `${one(id)}/export`),
    importDocument: (document: unknown) => api.request<Out<typeof importedWorkflowDto>>('POST', '/workflows/import', { body: document }),
  };
}

export function nodesApi(api: ApiClient) {
  return {
    catalogue: () => api.request<Out<typeof nodeTypeDto>[]>('GET', '/nodes'),
    categories: () => api.request<Out<typeof nodeCategoriesDto>>('GET', '/nodes/categories'),
  };
}

export function runsApi(api: ApiClient) {
  const one = (id: string) => `/runs/${encodeURIComponent(id)}`;
  return {
    start: (workflowId: string, body: In<typeof startRunBody>) =>
      api.request<Out<typeof startedRunDto>>('POST', `/workflows/${encodeURIComponent(workflowId)}/runs`, { body }),
    list: (query: Query<typeof listRunsQuery>) => api.request<Out<typeof runListDto>>('GET', '/runs', { query }),
    get: (id: string) => api.request<Out<typeof runDetailDto>>('GET', one(id)),
    cancel: (id: string) => api.request<unknown>('POST', `${one(id)}/cancel`),
    decide: (id: string, nodeId: string, approved: boolean) =>
      api.request<Out<typeof approvalDecisionDto>>('POST', `${one(id)}/nodes/${encodeURIComponent(nodeId)}/${approved ? 'approve' : 'reject'}`, { body: {} }),
    test: (workflowId: string, body: In<typeof testRunBody>) =>
      api.request<Out<typeof startedRunDto> | Out<typeof finishedTestRunDto>>('POST', `/workflows/${encodeURIComponent(workflowId)}/test-runs`, { body }),
    rerun: (id: string, body: In<typeof rerunBody>) => api.request<Out<typeof startedRunDto>>('POST', `${one(id)}/rerun`, { body }),
  };
}

export function credentialsApi(api: ApiClient) {
  return {
    list: () => api.request<Out<typeof credentialDto>[]>('GET', '/credentials'),
    kinds: () => api.request<Out<typeof credentialKindDto>[]>('GET', '/credentials/kinds'),
    create: (body: In<typeof createCredentialBody>) => api.request<Out<typeof credentialDto>>('POST', '/credentials', { body }),
    update: (id: string, body: In<typeof updateCredentialBody>) => api.request<Out<typeof credentialDto>>('PATCH', `/credentials/${encodeURIComponent(id)}`, { body }),
    remove: (id: string) => api.request<void>('DELETE', `/credentials/${encodeURIComponent(id)}`),
  };
}

export function webhooksApi(api: ApiClient) {
  const one = (id: string) => `/webhooks/${encodeURIComponent(id)}`;
  return {
    list: (workflowId: string) => api.request<Out<typeof webhookDto>[]>('GET', '/webhooks', { query: { workflowId } }),
    revealSecret: (id: string) => api.request<Out<typeof webhookSecretDto>>('GET', `${one(id)}/secret`),
    rotateSecret: (id: string, overlapSeconds: number) => api.request<Out<typeof webhookSecretDto>>('POST', `${one(id)}/rotate`, { body: { overlapSeconds } }),
  };
}

export function schedulesApi(api: ApiClient) {
  const one = (id: string) => `/schedules/${encodeURIComponent(id)}`;
  return {
    list: (workflowId: string) => api.request<Out<typeof scheduleDto>[]>('GET', '/schedules', { query: { workflowId } }),
    create: (body: In<typeof createScheduleBody>) => api.request<Out<typeof scheduleDto>>('POST', '/schedules', { body }),
    update: (id: string, body: In<typeof updateScheduleBody>) => api.request<Out<typeof scheduleDto>>('PATCH', one(id), { body }),
    setPaused: (id: string, paused: boolean, note?: string) =>
      api.request<Out<typeof scheduleDto>>('POST', `${one(id)}/${paused ? 'pause' : 'unpause'}`, { body: note ? { note } : {} }),
    trigger: (id: string, body: In<typeof triggerScheduleBody> = {}) => api.request<void>('POST', `${one(id)}/trigger`, { body }),
    backfill: (id: string, body: In<typeof backfillScheduleBody>) => api.request<void>('POST', `${one(id)}/backfill`, { body }),
    remove: (id: string) => api.request<void>('DELETE', one(id)),
  };
}

export function collectionsApi(api: ApiClient) {
  const one = (id: string) => `/collections/${encodeURIComponent(id)}`;
  return {
    list: () => api.request<Out<typeof collectionDto>[]>('GET', '/collections'),
    get: (id: string) => api.request<Out<typeof collectionDto>>('GET', one(id)),
    create: (body: In<typeof createCollectionBody>) => api.request<Out<typeof collectionDto>>('POST', '/collections', { body }),
    remove: (id: string) => api.request<void>('DELETE', one(id)),
    search: (id: string, body: In<typeof searchCollectionBody>) => api.request<Out<typeof searchCollectionResponse>>('POST', `${one(id)}/search`, { body }),
  };
}

export function chatApi(api: ApiClient) {
  const sessions = (workflowId: string) => `/workflows/${encodeURIComponent(workflowId)}/chat/sessions`;
  return {
    createSession: (workflowId: string) => api.request<Out<typeof chatSessionDto>>('POST', sessions(workflowId), { body: {} }),
    /** The message's answer as an unread Server-Sent Events response (see chat-session.svelte.ts). */
    send: (workflowId: string, sessionId: string, body: In<typeof chatMessageBody>, draft: boolean, signal: AbortSignal) =>
      api.open(`${sessions(workflowId)}/${encodeURIComponent(sessionId)}/messages`, { body, query: { draft: draft || undefined }, signal }, 'POST'),
  };
}
