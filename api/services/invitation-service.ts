import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { Invitation, Membership } from '../../db/entities';
import type { workspaceDto } from '../../contract/auth';
import type { invitationDto, inviteBody, receivedInvitationDto } from '../../contract/workspaces';
import { ApiError } from '../http/api-error';

/** Long enough to be seen without mail, short enough that a forgotten invitation does not stand for good. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type InvitationDto = z.infer<typeof invitationDto>;

/**
 * Membership by invitation. Inviting never looks at whether an account has the email, so its answer cannot tell;
 * only the account with that email sees the invitation, and a membership exists once it accepts.
 */
export class InvitationService {
  constructor(private readonly em: EntityManager) {}

  /** Inviting an email again renews the invitation with the new role. */
  async invite(workspaceId: string, invitedBy: string, input: z.output<typeof inviteBody>): Promise<InvitationDto> {
    // Owners see their members' emails anyway, so saying this one is a member tells nothing new.
    const member = await this.em.findOne(Membership, { workspace: workspaceId, user: { email: input.email } });
    if (member) throw ApiError.conflict(`this email is already a member (${member.role})`);
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    const existing = await this.em.findOne(Invitation, { workspace: workspaceId, email: input.email });
    const invitation = existing
      ? this.em.assign(existing, { role: input.role, invitedBy, expiresAt })
      : this.em.create(Invitation, { workspace: workspaceId, email: input.email, role: input.role, invitedBy, expiresAt });
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw ApiError.conflict('this email was invited at the same moment; list the invitations to see it');
      throw error;
    }
    return toDto(invitation);
  }

  async listOfWorkspace(workspaceId: string): Promise<InvitationDto[]> {
    return (await this.em.find(Invitation, { workspace: workspaceId }, { orderBy: { createdAt: 'asc' } })).map(toDto);
  }

  async revoke(workspaceId: string, id: string): Promise<void> {
    if ((await this.em.nativeDelete(Invitation, { id, workspace: workspaceId })) === 0) throw ApiError.notFound('invitation');
  }

  /** The invitations to the caller's email that can still be accepted. */
  async received(email: string): Promise<z.infer<typeof receivedInvitationDto>[]> {
    const invitations = await this.em.find(Invitation, { email, expiresAt: { $gt: new Date() } }, { populate: ['workspace', 'invitedBy'], orderBy: { createdAt: 'asc' } });
    return invitations.map((invitation) => ({
      id: invitation.id,
      workspace: { id: invitation.workspace.id, name: invitation.workspace.getEntity().name },
      role: invitation.role,
      invitedBy: invitation.invitedBy.getEntity().email,
      expiresAt: invitation.expiresAt.toISOString(),
    }));
  }

  /** Someone else's invitation answers 404, like one that does not exist, has expired or was revoked. */
  async accept(id: string, user: { userId: string; email: string }): Promise<z.infer<typeof workspaceDto>> {
    return this.em.transactional(async (em) => {
      const invitation = await em.findOne(Invitation, { id, email: user.email, expiresAt: { $gt: new Date() } }, { populate: ['workspace'] });
      if (!invitation) throw ApiError.notFound('invitation');
      const workspace = { id: invitation.workspace.id, name: invitation.workspace.getEntity().name };
      // Deleting first makes a second, concurrent accept find nothing instead of adding the member twice.
      if ((await em.nativeDelete(Invitation, { id: invitation.id })) === 0) throw ApiError.notFound('invitation');
      const existing = await em.findOne(Membership, { workspace: workspace.id, user: user.userId });
      if (existing) return { ...workspace, role: existing.role };
      em.create(Membership, { workspace: workspace.id, user: user.userId, role: invitation.role });
      return { ...workspace, role: invitation.role };
    });
  }

  async decline(id: string, email: string): Promise<void> {
    if ((await this.em.nativeDelete(Invitation, { id, email })) === 0) throw ApiError.notFound('invitation');
  }
}

function toDto(invitation: Invitation): InvitationDto {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
