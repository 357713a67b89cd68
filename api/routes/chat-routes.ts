import {
  chatMessageBody,
  chatMessageQuery,
  chatSessionDetailDto,
  chatSessionDto,
  chatSessionListDto,
  chatSessionParams,
  chatWorkflowParams,
  createChatSessionBody,
} from '../../contract/chat';
import { defineRoute, Reply } from '../http/define-route';
import { ChatService } from '../services/chat-service';
import { streamChatAnswer } from './stream-chat-answer';

const tag = 'Chat';
const sessions = '/workflows/:workflowId/chat/sessions';

export const chatRoutes = [
  defineRoute({
    method: 'post',
    path: sessions,
    summary: 'Start a chat session with a workflow that has a Chat trigger (in its draft or published version)',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: chatWorkflowParams,
    body: createChatSessionBody,
    status: 201,
    response: chatSessionDto,
    handler: async (input) => new Reply(201, await new ChatService(input).createSession(input.params.workflowId, input.body)),
  }),
  defineRoute({
    method: 'get',
    path: sessions,
    summary: "The workflow's chat sessions, newest first",
    tag,
    access: 'viewer',
    params: chatWorkflowParams,
    response: chatSessionListDto,
    handler: async (input) => new ChatService(input).listSessions(input.params.workflowId),
  }),
  defineRoute({
    method: 'get',
    path: `${sessions}/:sessionId`,
    summary: 'A chat session with its history: every message, its reply and citations, and the run that answered it',
    tag,
    access: 'viewer',
    params: chatSessionParams,
    response: chatSessionDetailDto,
    handler: async (input) => new ChatService(input).getSession(input.params.workflowId, input.params.sessionId),
  }),
  defineRoute({
    method: 'delete',
    path: `${sessions}/:sessionId`,
    summary: 'Delete a chat session, its history and its conversation memory (its runs stay)',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: chatSessionParams,
    status: 204,
    handler: async (input) => {
      await new ChatService(input).deleteSession(input.params.workflowId, input.params.sessionId);
      return new Reply(204, undefined);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${sessions}/:sessionId/messages`,
    summary:
      'Send a message: it starts a run (the latest published version, or the draft with ?draft=true) and the answer is ' +
      'Server-Sent Events: `chat.message` (ids, the answer node), the run’s events (`node.live` carries the answer node’s ' +
      '`llm.token`s and agent steps), then `answer` with the reply, citations and run id. A client that leaves loses nothing: ' +
      'the run goes on and its reply lands in the session’s history',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: chatSessionParams,
    query: chatMessageQuery,
    body: chatMessageBody,
    streams: true,
    handler: async (input) => {
      const sent = await new ChatService(input).send(input.params.workflowId, input.params.sessionId, input.body, input.query.draft);
      await streamChatAnswer(input.services, input.response, input.params.sessionId, sent);
    },
  }),
];
