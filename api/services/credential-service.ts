import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { credentialKindNames, credentialKinds, splitSecretFields, type CredentialKind } from '../../activities/credential-kinds';
import { Credential } from '../../db/entities';
import { open, seal, type SecretKey } from '../../db/secret-box';
import type { CreateCredentialBody, CredentialDto, CredentialKindDto, UpdateCredentialBody } from '../../contract/credentials';
import { ApiError } from '../http/api-error';

export interface CredentialServiceOptions {
  em: EntityManager;
  /** Seals the secret fields; the same key lets the worker's credential resolver open them. */
  key: SecretKey;
  /** Every credential is created and looked up within this workspace only. */
  workspaceId: string;
}

/**
 * The credentials of one workspace. Secret fields are sealed before they reach the database and are never part of
 * what this service returns; they are opened only to merge an update that leaves them out.
 */
export class CredentialService {
  private readonly em: EntityManager;
  private readonly key: SecretKey;
  private readonly workspaceId: string;

  constructor(options: CredentialServiceOptions) {
    this.em = options.em;
    this.key = options.key;
    this.workspaceId = options.workspaceId;
  }

  async list(): Promise<CredentialDto[]> {
    const credentials = await this.em.find(Credential, { workspace: this.workspaceId }, { orderBy: { name: 'asc' } });
    return credentials.map(toDto);
  }

  async get(id: string): Promise<CredentialDto> {
    return toDto(await this.find(id));
  }

  async create(input: CreateCredentialBody): Promise<CredentialDto> {
    const credential = this.em.create(Credential, { workspace: this.workspaceId, name: input.name, kind: input.kind, ...this.sealData(input.kind, input.data) });
    await this.flushNamed(input.name);
    return toDto(credential);
  }

  async update(id: string, changes: UpdateCredentialBody): Promise<CredentialDto> {
    const credential = await this.find(id);
    if (changes.name !== undefined) credential.name = changes.name;
    if (changes.data) {
      const kind = knownKind(credential);
      const storedSecrets = JSON.parse(open(credential.secretCiphertext, this.key)) as Record<string, unknown>;
      Object.assign(credential, this.sealData(kind, parseData(kind, { ...storedSecrets, ...changes.data })));
    }
    await this.flushNamed(credential.name);
    return toDto(credential);
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.em.nativeDelete(Credential, { id, workspace: this.workspaceId });
    if (deleted === 0) throw ApiError.notFound('credential');
  }

  private async find(id: string): Promise<Credential> {
    const credential = await this.em.findOne(Credential, { id, workspace: this.workspaceId });
    if (!credential) throw ApiError.notFound('credential');
    return credential;
  }

  private sealData(kind: CredentialKind, data: Record<string, unknown>): Pick<Credential, 'publicData' | 'secretCiphertext'> {
    const { publicData, secretData } = splitSecretFields(kind, data);
    return { publicData, secretCiphertext: seal(JSON.stringify(secretData), this.key) };
  }

  private async flushNamed(name: string): Promise<void> {
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw ApiError.conflict(`a credential named "${name}" already exists in this workspace`);
      throw error;
    }
  }
}

/** Every kind with the JSON Schema of its data, for the form that creates a credential. */
export function describeCredentialKinds(): CredentialKindDto[] {
  return credentialKindNames.map((kind) => ({
    kind,
    label: credentialKinds[kind].label,
    schema: z.toJSONSchema(credentialKinds[kind].schema, { io: 'input' }),
    secretFields: [...credentialKinds[kind].secret],
  }));
}

/** Checks merged data against the kind's schema, reporting problems where the client sent them: `body.data.<field>`. */
function parseData(kind: CredentialKind, data: Record<string, unknown>): Record<string, unknown> {
  const parsed = z.object({ data: credentialKinds[kind].schema }).safeParse({ data });
  if (!parsed.success) throw ApiError.fromZod(parsed.error, 'body');
  return parsed.data.data;
}

function isCredentialKind(kind: string): kind is CredentialKind {
  return Object.hasOwn(credentialKinds, kind);
}

/** Rows are only written through this service, so a kind it does not know means the row was written by something else. */
function knownKind(credential: Credential): CredentialKind {
  if (!isCredentialKind(credential.kind)) throw new Error(`credential ${credential.id} has an unknown kind "${credential.kind}"`);
  return credential.kind;
}

function toDto(credential: Credential): CredentialDto {
  const kind = knownKind(credential);
  return {
    id: credential.id,
    name: credential.name,
    kind,
    publicData: credential.publicData,
    secretFields: [...credentialKinds[kind].secret],
    createdAt: credential.createdAt.toISOString(),
    updatedAt: credential.updatedAt.toISOString(),
  };
}
