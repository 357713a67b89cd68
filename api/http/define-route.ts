import type { EntityManager } from '@mikro-orm/postgresql';
import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import type { ApiKeyScope } from '../../contract/api-keys';
import type { ApiServices } from '../services';
import { ApiError } from './api-error';

export type Role = 'viewer' | 'editor' | 'owner';

/** Who is calling, and in which workspace: every workspace resource is looked up within `workspaceId`. */
export interface Principal {
  userId: string;
  email: string;
  workspaceId: string;
  role: Role;
  via: 'token' | 'apiKey';
  /** What an API key may do within its creator's role; a signed-in session has none and is limited by its role alone. */
  scopes?: readonly ApiKeyScope[];
}

/** `public`: anyone; `signedIn`: any valid token; a role: at least that role in the current workspace. */
export type Access = 'public' | 'signedIn' | Role;

/** The scope an API key needs for a route, or `session`: only a signed-in user, never an API key. */
export type KeyScope = ApiKeyScope | 'session';

const ROLE_RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteInput<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, A extends Access> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  principal: A extends 'public' ? Principal | undefined : Principal;
  request: Request;
  response: Response;
  services: ApiServices;
  /** This request's unit of work (a fork of the ORM's entity manager). */
  em: EntityManager;
}

export interface RouteDefinition<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType, A extends Access = Access> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path below /api/v1, e.g. `/workflows/:workflowId`. */
  path: string;
  summary: string;
  tag: string;
  access: A;
  /** What an API key must hold to call this route; by default {@link apiKeyScopeOf} derives it from method and access. */
  apiKeyScope?: KeyScope;
  params?: P;
  query?: Q;
  body?: B;
  /** Documented success status and body. */
  status?: number;
  response?: z.ZodType;
  /** The handler writes the response itself (Server-Sent Events). */
  streams?: boolean;
  handler(input: RouteInput<P, Q, B, A>): Promise<unknown>;
}

export function defineRoute<P extends AnyObject = z.ZodObject<Record<string, never>>, Q extends AnyObject = z.ZodObject<Record<string, never>>, B extends z.ZodType = z.ZodUndefined, A extends Access = Access>(
  route: RouteDefinition<P, Q, B, A>,
): RouteDefinition<P, Q, B, A> {
  return route;
}

/** Any route, whatever its schemas: what route lists, the router and the OpenAPI generator take. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any, any, any>;

export interface RouteRegistration {
  authenticate(request: Request, em: EntityManager): Promise<Principal | undefined>;
  services: ApiServices;
}

/** Mounts routes with validation and access checks in one place, so no route can forget either. */
export function registerRoutes(router: Router, routes: readonly AnyRoute[], registration: RouteRegistration): void {
  for (const route of routes) {
    router[route.method](route.path, async (request: Request, response: Response, next: NextFunction) => {
      try {
        const em = registration.services.orm.em.fork();
        const principal = await registration.authenticate(request, em);
        checkAccess(route, principal);
        const input = {
          params: parse(route.params, request.params, 'params'),
          query: parse(route.query, request.query, 'query'),
          body: route.body ? parse(route.body, request.body, 'body') : undefined,
          principal,
          request,
          response,
          services: registration.services,
          em,
        };
        const result = await route.handler(input);
        if (route.streams) return;
        const reply = result instanceof Reply ? result : new Reply(route.status ?? 200, result);
        response.status(reply.status).set(reply.headers);
        if (reply.body === undefined) response.end();
        else response.json(reply.body);
      } catch (error) {
        next(error);
      }
    });
  }
}

/**
 * The scope an API key needs: `read` for what a viewer may read, `write` for anything else, unless the route names
 * another (`run` for runs, `admin` or `session` for managing keys, members and workspaces).
 */
export function apiKeyScopeOf(route: AnyRoute): KeyScope {
  if (route.apiKeyScope) return route.apiKeyScope;
  return route.method === 'get' && (route.access === 'viewer' || route.access === 'signedIn') ? 'read' : 'write';
}

function checkAccess(route: AnyRoute, principal: Principal | undefined): void {
  const { access } = route;
  if (access === 'public') return;
  if (!principal) throw ApiError.unauthorized();
  if (access !== 'signedIn' && !roleAtLeast(principal.role, access)) {
    throw ApiError.forbidden(`this needs the ${access} role in the workspace; you are ${principal.role}`);
  }
  if (principal.via === 'apiKey') checkApiKeyScope(apiKeyScopeOf(route), principal.scopes ?? []);
}

function checkApiKeyScope(needed: KeyScope, held: readonly ApiKeyScope[]): void {
  if (needed === 'session') throw ApiError.forbidden('API keys cannot do this: sign in and use your session');
  if (!held.includes(needed)) throw ApiError.forbidden(`this API key lacks the "${needed}" scope (it has: ${held.join(', ') || 'none'})`);
}

function parse(schema: z.ZodType | undefined, value: unknown, where: 'body' | 'query' | 'params'): unknown {
  if (!schema) return where === 'body' ? undefined : {};
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) throw ApiError.fromZod(parsed.error, where);
  return parsed.data;
}
