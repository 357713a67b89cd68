import { ChatMessage, ChatSession, ConversationSummary, ConversationTurn } from '../../db/entities';
import { answerNodeOf, chatTriggerOf } from '../../engine/chat-reply';
import type { Graph } from '../../engine/graph';
import type { ChatMessageBody, ChatMessageDto, ChatSessionDetailDto, ChatSessionDto, CreateChatSessionBody } from '../../contract/chat';
import { ApiError } from '../http/api-error';
import { checkedGraph } from './checked-graph';
import { recordReply, settleUnanswered, toChatMessageDto } from './chat-replies';
import type { RunView } from './run-dto';
import { findRunnableVersion, type RunnableVersion } from './run-rows';
import { RunService, type RunServiceOptions } from './run-service';
import { WorkflowService } from './workflow-service';

/** How long the API that started a message's run waits for it to write the reply; a later read of the session settles longer runs. */
const REPLY_WAIT_SECONDS = 15 * 60;

/** A message whose run has started: `reply` settles once the run has closed, whether or not anyone still listens. */
export interface SentMessage {
  message: ChatMessageDto;
  run: RunView;
  /** The node whose tokens are the reply, when the graph has one. */
  answerNode: string | undefined;
  reply: Promise<ChatMessageDto>;
}

/** Chat sessions with the workflows of one workspace; every message is a run of the workflow, draft or published. */
export class ChatService {
  /** With `endpointId` (a public chat endpoint), sessions are created for that endpoint and only its own are found. */
  constructor(
    private readonly options: RunServiceOptions,
    private readonly endpointId?: string,
  ) {}

  async createSession(workflowId: string, body: CreateChatSessionBody): Promise<ChatSessionDto> {
    const { em, principal } = this.options;
    // No Chat trigger is needed yet: the draft may get one before the first message, which is checked.
    await new WorkflowService(em, principal).find(workflowId);
    const session = em.create(ChatSession, { workspace: principal.workspaceId, workflow: workflowId, endpoint: this.endpointId ?? null, title: body.title ?? `Chat ${new Date().toISOString().slice(0, 16).replace('T', ' ')}` });
    await em.flush();
    return toSessionDto(session);
  }

  async listSessions(workflowId: string): Promise<{ items: ChatSessionDto[] }> {
    const { em, principal } = this.options;
    await new WorkflowService(em, principal).find(workflowId);
    const sessions = await em.find(ChatSession, { workflow: workflowId, workspace: principal.workspaceId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    return { items: sessions.map(toSessionDto) };
  }

  /** The session with every message, oldest first; replies of runs that closed since are written first. */
  async getSession(workflowId: string, sessionId: string): Promise<ChatSessionDetailDto> {
    const { em, services, principal } = this.options;
    const session = await this.findSession(workflowId, sessionId);
    const history = () => em.find(ChatMessage, { session }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    let messages = await history();
    if (await settleUnanswered(em, services, principal.workspaceId, messages)) messages = await history();
    return { ...toSessionDto(session), messages: messages.map(toChatMessageDto) };
  }

  /** Deletes the session, its messages and its memory; the runs stay, like any run. */
  async deleteSession(workflowId: string, sessionId: string): Promise<void> {
    const { em, principal } = this.options;
    const session = await this.findSession(workflowId, sessionId);
    const memory = { workspace: principal.workspaceId, sessionId: session.id };
    await em.transactional(async (tx) => {
      await tx.nativeDelete(ConversationTurn, memory);
      await tx.nativeDelete(ConversationSummary, memory);
      await tx.nativeDelete(ChatSession, { id: session.id });
    });
  }

  /** Starts the run that answers `body` (the latest published version, or the draft as a test run) and records the message. */
  async send(workflowId: string, sessionId: string, body: ChatMessageBody, draft: boolean): Promise<SentMessage> {
    const { em } = this.options;
    const session = await this.findSession(workflowId, sessionId);
    const target = draft ? await this.draft(workflowId) : await this.latestVersion(workflowId);
    const runs = new RunService(this.options);
    const run = await runs.launch({
      workflowId,
      workflowName: target.workflowName,
      graph: target.graph,
      version: target.version,
      inputs: { sessionId: session.id, message: body.message, ...(body.attachments ? { attachments: body.attachments } : {}) },
      trigger: draft ? 'test' : 'api',
    });
    const message = em.create(ChatMessage, { session, runId: run.id, message: body.message, attachmentNames: body.attachments?.map((file) => file.name) ?? [], status: 'running' });
    await em.flush();
    return { message: toChatMessageDto(message), run, answerNode: answerNodeOf(target.graph), reply: this.awaitReply(run, message.id) };
  }

  /** Waits for the run in a unit of work of its own (the request's may be gone by then) and writes its reply. */
  private async awaitReply(run: RunView, messageId: string): Promise<ChatMessageDto> {
    const em = this.options.services.orm.em.fork();
    const record = await new RunService({ ...this.options, em }).awaitClose(run, REPLY_WAIT_SECONDS);
    if (record) await recordReply(em, this.options.principal.workspaceId, messageId, record);
    return toChatMessageDto(await em.findOneOrFail(ChatMessage, messageId));
  }

  private async findSession(workflowId: string, sessionId: string): Promise<ChatSession> {
    const scope = this.endpointId ? { endpoint: this.endpointId } : {};
    const session = await this.options.em.findOne(ChatSession, { id: sessionId, workflow: workflowId, workspace: this.options.principal.workspaceId, ...scope });
    if (!session) throw new ApiError(404, 'not_found', 'chat session not found', [{ path: 'params.sessionId', message: 'no such chat session with this workflow' }]);
    return session;
  }

  private async latestVersion(workflowId: string): Promise<{ graph: Graph; version: RunnableVersion; workflowName: string }> {
    const found = await findRunnableVersion(this.options.services.orm, this.options.principal.workspaceId, workflowId, undefined);
    if (!found.workflow) throw ApiError.notFound('workflow');
    const { version, workflowName } = found;
    if (!version) throw ApiError.conflict('no published version: publish the workflow, or send ?draft=true to chat with the draft');
    if (!chatTriggerOf(version.graph)) throw noChatTrigger(`published version ${version.versionNumber}`);
    return { graph: version.graph, version, workflowName };
  }

  private async draft(workflowId: string): Promise<{ graph: Graph; version: null; workflowName: string }> {
    const { em, principal } = this.options;
    // A draft runs whatever graph was saved, which only keys that may write the workflow could save (as for test runs).
    if (principal.via === 'apiKey' && !principal.scopes?.includes('write')) throw ApiError.forbidden('chatting with a draft needs an API key with the "write" scope');
    const workflow = await new WorkflowService(em, principal).find(workflowId);
    const graph = checkedGraph(workflow.draftGraph, 'draft');
    if (!chatTriggerOf(graph)) throw noChatTrigger('the draft');
    return { graph, version: null, workflowName: workflow.name };
  }
}

function noChatTrigger(where: string): ApiError {
  const message = `${where} of this workflow has no Chat trigger node`;
  return new ApiError(400, 'validation_failed', `invalid params: params.workflowId: ${message}`, [{ path: 'params.workflowId', message }]);
}

function toSessionDto(session: ChatSession): ChatSessionDto {
  return { id: session.id, workflowId: session.workflow.id, title: session.title, createdAt: session.createdAt.toISOString() };
}
