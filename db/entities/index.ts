import { ApiKey } from './api-key';
import { ChatEndpoint } from './chat-endpoint';
import { ChatMessage } from './chat-message';
import { ChatRateBucket } from './chat-rate-bucket';
import { ChatSession } from './chat-session';
import { ConversationSummary } from './conversation-summary';
import { ConversationTurn } from './conversation-turn';
import { Credential } from './credential';
import { Invitation } from './invitation';
import { Membership } from './membership';
import { NodeLiveEvent } from './node-live-event';
import { NodeOutput } from './node-output';
import { RefreshToken } from './refresh-token';
import { Run } from './run';
import { ScheduleLink } from './schedule-link';
import { SignInAttempt } from './sign-in-attempt';
import { User } from './user';
import { Webhook } from './webhook';
import { WebhookDelivery } from './webhook-delivery';
import { WebhookRateBucket } from './webhook-rate-bucket';
import { Workflow } from './workflow';
import { WorkflowVersion } from './workflow-version';
import { Workspace } from './workspace';

export { ApiKey, ChatEndpoint, ChatMessage, ChatRateBucket, ChatSession, ConversationSummary, ConversationTurn, Credential, Invitation, Membership, NodeLiveEvent, NodeOutput, RefreshToken, Run, ScheduleLink, SignInAttempt, User, Webhook, WebhookDelivery, WebhookRateBucket, Workflow, WorkflowVersion, Workspace };
export { CHAT_ENDPOINT_AUTH_MODES, type ChatEndpointAuthMode } from './chat-endpoint';
export { WEBHOOK_AUTH_MODES, WEBHOOK_RESPONSE_MODES, type WebhookAuthMode, type WebhookResponseMode } from './webhook';
export { MEMBERSHIP_ROLES, type MembershipRole } from './membership';
export { RUN_STATUSES, RUN_TRIGGERS, type RunExecutionStatus, type RunTrigger } from './run';

/** Every entity the ORM knows, listed here rather than discovered from the folder. */
export const entities = [User, Workspace, Membership, Invitation, RefreshToken, ApiKey, SignInAttempt, Workflow, WorkflowVersion, Run, Credential, NodeOutput, Webhook, WebhookDelivery, WebhookRateBucket, ScheduleLink, ConversationTurn, ConversationSummary, NodeLiveEvent, ChatEndpoint, ChatRateBucket, ChatSession, ChatMessage];
