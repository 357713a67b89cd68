import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/core';
import { credentialKinds, type CredentialKind, type CredentialResolver, type ResolvedCredential } from '../activities/credential-kinds';
import { Credential } from './entities';
import { isUuid } from './entities/columns';
import { open, type SecretKey } from './secret-box';

/**
 * Loads and decrypts a credential for an activity. The lookup is scoped to the run's workspace, so a graph can never
 * use another workspace's credential even if it names its id.
 */
export class DbCredentialResolver implements CredentialResolver {
  constructor(
    private readonly em: EntityManager,
    private readonly key: SecretKey,
  ) {}

  async resolve(workspaceId: string | undefined, credentialId: string): Promise<ResolvedCredential> {
    const credential = workspaceId && isUuid(credentialId) ? await this.em.fork().findOne(Credential, { id: credentialId, workspace: workspaceId }) : null;
    if (!credential) {
      throw ApplicationFailure.create({ message: `credential ${credentialId} does not exist in this workspace`, type: 'InvalidCredential', nonRetryable: true });
    }
    if (!(credential.kind in credentialKinds)) {
      throw ApplicationFailure.create({ message: `credential ${credentialId} has an unknown kind "${credential.kind}"`, type: 'InvalidCredential', nonRetryable: true });
    }
    let secret: Record<string, string>;
    try {
      secret = JSON.parse(open(credential.secretCiphertext, this.key)) as Record<string, string>;
    } catch (error) {
      // A secret sealed with another key fails the same way on every attempt: retrying cannot help.
      throw ApplicationFailure.create({ message: `credential ${credentialId} cannot be decrypted with this installation's key`, type: 'InvalidCredential', nonRetryable: true, cause: error as Error });
    }
    return { id: credential.id, name: credential.name, kind: credential.kind as CredentialKind, data: { ...(credential.publicData as Record<string, string>), ...secret } };
  }
}

