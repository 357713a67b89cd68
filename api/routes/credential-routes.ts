import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { createCredentialBody, credentialDto, credentialKindDto, updateCredentialBody } from '../../contract/credentials';
import { defineRoute, Reply, type Principal } from '../http/define-route';
import type { ApiServices } from '../services';
import { CredentialService, describeCredentialKinds } from '../services/credential-service';

const tag = 'Credentials';
const credentialParams = z.object({ credentialId: z.uuid() }).strict();

/** Credentials are editor-only, reads included: viewers may run nothing with them, so they need not see them. */
const access = 'editor';

function credentialsOf({ em, services, principal }: { em: EntityManager; services: ApiServices; principal: Principal }): CredentialService {
  return new CredentialService({ em, key: services.encryptionKey, workspaceId: principal.workspaceId });
}

export const credentialRoutes = [
  // Before /credentials/:credentialId, which would take "kinds" for an id.
  defineRoute({
    method: 'get',
    path: '/credentials/kinds',
    summary: 'The kinds of credential, with the JSON Schema of their data and which fields are secret',
    tag,
    access,
    response: z.array(credentialKindDto),
    handler: async () => describeCredentialKinds(),
  }),
  defineRoute({
    method: 'post',
    path: '/credentials',
    summary: 'Store a credential; its secret fields are encrypted and never shown again',
    tag,
    access,
    body: createCredentialBody,
    status: 201,
    response: credentialDto,
    handler: async (input) => new Reply(201, await credentialsOf(input).create(input.body)),
  }),
  defineRoute({
    method: 'get',
    path: '/credentials',
    summary: "This workspace's credentials: public fields, and the names of the secret ones",
    tag,
    access,
    response: z.array(credentialDto),
    handler: async (input) => credentialsOf(input).list(),
  }),
  defineRoute({
    method: 'get',
    path: '/credentials/:credentialId',
    summary: 'One credential: public fields, and the names of the secret ones',
    tag,
    access,
    params: credentialParams,
    response: credentialDto,
    handler: async (input) => credentialsOf(input).get(input.params.credentialId),
  }),
  defineRoute({
    method: 'patch',
    path: '/credentials/:credentialId',
    summary: 'Rename a credential or replace its data; secret fields left out keep their stored values',
    tag,
    access,
    params: credentialParams,
    body: updateCredentialBody,
    response: credentialDto,
    handler: async (input) => credentialsOf(input).update(input.params.credentialId, input.body),
  }),
  defineRoute({
    method: 'delete',
    path: '/credentials/:credentialId',
    summary: 'Delete a credential; runs that name it fail from then on',
    tag,
    access,
    params: credentialParams,
    status: 204,
    handler: async (input) => {
      await credentialsOf(input).delete(input.params.credentialId);
      return new Reply(204, undefined);
    },
  }),
];
