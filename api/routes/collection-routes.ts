import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { collectionDto, collectionParams, createCollectionBody, searchCollectionBody, searchCollectionResponse } from '../../contract/collections';
import { defineRoute, Reply, type Principal } from '../http/define-route';
import type { ApiServices } from '../services';
import { CollectionService } from '../services/collection-service';
import { createGuardedFetch } from '../../activities/net/guarded-fetch';

const publicOnlyFetch = createGuardedFetch();

const tag = 'Vector collections';

function collectionsOf({ em, services, principal }: { em: EntityManager; services: ApiServices; principal: Principal }): CollectionService {
  return new CollectionService({ em, key: services.encryptionKey, workspaceId: principal.workspaceId, fetch: services.outboundFetch ?? publicOnlyFetch });
}

export const collectionRoutes = [
  defineRoute({
    method: 'get',
    path: '/collections',
    summary: "This workspace's vector collections, each with its chunk count and size in bytes",
    tag,
    access: 'viewer',
    response: z.array(collectionDto),
    handler: async (input) => collectionsOf(input).list(),
  }),
  defineRoute({
    method: 'post',
    path: '/collections',
    summary: 'Create a vector collection (dimension and distance metric) with its HNSW index',
    tag,
    access: 'editor',
    body: createCollectionBody,
    status: 201,
    response: collectionDto,
    handler: async (input) => new Reply(201, await collectionsOf(input).create(input.body)),
  }),
  defineRoute({
    method: 'get',
    path: '/collections/:collectionId',
    summary: 'One collection: dimension, metric, chunk count and size in bytes',
    tag,
    access: 'viewer',
    params: collectionParams,
    response: collectionDto,
    handler: async (input) => collectionsOf(input).get(input.params.collectionId),
  }),
  defineRoute({
    method: 'delete',
    path: '/collections/:collectionId',
    summary: 'Delete a collection with its chunks and index',
    tag,
    access: 'editor',
    params: collectionParams,
    status: 204,
    handler: async (input) => {
      await collectionsOf(input).delete(input.params.collectionId);
      return new Reply(204, undefined);
    },
  }),
  // Editor-only like credentials: the query may be embedded with one of the workspace's credentials. 409 without pgvector.
  defineRoute({
    method: 'post',
    path: '/collections/:collectionId/search',
    summary: 'Nearest chunks to a query text (embedded as the collection was) or a vector; 409 when the database has no pgvector',
    tag,
    access: 'editor',
    params: collectionParams,
    body: searchCollectionBody,
    response: searchCollectionResponse,
    handler: async (input) => collectionsOf(input).search(input.params.collectionId, input.body),
  }),
];
