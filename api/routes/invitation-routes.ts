import { z } from 'zod';
import { workspaceDto } from '../../contract/auth';
import { receivedInvitationDto } from '../../contract/workspaces';
import { defineRoute, Reply } from '../http/define-route';
import { InvitationService } from '../services/invitation-service';

const tag = 'Invitations';
const invitationParams = z.object({ invitationId: z.uuid() }).strict();

/** The invitee's side: only a signed-in session can join a workspace, never an API key acting for it. */
export const invitationRoutes = [
  defineRoute({
    method: 'get',
    path: '/invitations',
    summary: 'Invitations to your email that you can still accept',
    tag,
    access: 'signedIn',
    apiKeyScope: 'session',
    response: z.array(receivedInvitationDto),
    handler: ({ principal, em }) => new InvitationService(em).received(principal.email),
  }),
  defineRoute({
    method: 'post',
    path: '/invitations/:invitationId/accept',
    summary: 'Accept an invitation: you become a member of its workspace with its role',
    tag,
    access: 'signedIn',
    apiKeyScope: 'session',
    params: invitationParams,
    response: workspaceDto,
    handler: ({ principal, params, em }) => new InvitationService(em).accept(params.invitationId, principal),
  }),
  defineRoute({
    method: 'post',
    path: '/invitations/:invitationId/decline',
    summary: 'Decline an invitation; the owner may invite you again',
    tag,
    access: 'signedIn',
    apiKeyScope: 'session',
    params: invitationParams,
    status: 204,
    handler: async ({ principal, params, em }) => {
      await new InvitationService(em).decline(params.invitationId, principal.email);
      return new Reply(204, undefined);
    },
  }),
];
