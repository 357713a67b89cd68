import { z } from 'zod';
import { nodeCategoriesDto, nodeTypeDto, nodeTypeParams, nodeTypeQuery } from '../../contract/nodes';
import { ApiError } from '../http/api-error';
import { defineRoute, Reply } from '../http/define-route';
import { findNodeType, nodeCatalogue, nodeCategories } from '../services/node-catalogue';

const tag = 'Node catalogue';

/**
 * The catalogue changes only with a deploy, and every editor open asks for it: browsers may reuse it for five
 * minutes, then revalidate with the ETag Express puts on every JSON answer (an unchanged catalogue costs a 304).
 */
const CATALOGUE_CACHING = { 'cache-control': 'private, max-age=300' };

export const nodeRoutes = [
  defineRoute({
    method: 'get',
    path: '/nodes',
    summary: 'Every node type (latest version) with its handles, defaults and the JSON Schemas of its config and output',
    tag,
    access: 'signedIn',
    response: z.array(nodeTypeDto),
    handler: async () => new Reply(200, nodeCatalogue(), CATALOGUE_CACHING),
  }),
  defineRoute({
    method: 'get',
    path: '/nodes/categories',
    summary: 'Node categories: label and number of node types in each',
    tag,
    access: 'signedIn',
    response: nodeCategoriesDto,
    handler: async () => new Reply(200, nodeCategories(), CATALOGUE_CACHING),
  }),
  defineRoute({
    method: 'get',
    path: '/nodes/:type',
    summary: 'One node type, at its latest version or at ?version=',
    tag,
    access: 'signedIn',
    params: nodeTypeParams,
    query: nodeTypeQuery,
    response: nodeTypeDto,
    handler: async ({ params, query }) => {
      const found = findNodeType(params.type, query.version);
      if (!found) throw ApiError.notFound(query.version === undefined ? `node type "${params.type}"` : `node type "${params.type}" version ${query.version}`);
      return new Reply(200, found, CATALOGUE_CACHING);
    },
  }),
];
