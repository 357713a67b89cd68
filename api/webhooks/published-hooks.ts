import type { Loaded } from '@mikro-orm/postgresql';
import { planRun } from '../../activities/plan-run';
import { Webhook } from '../../db/entities';
import type { Database } from '../../db/orm';
import type { ExecutionPlan } from '../../engine/plan';
import type { ActivityRoutes } from '../../engine/route-activities';

/** An enabled endpoint with its published version, and that version's plan (versions are immutable). */
export interface PublishedHook {
  hook: Loaded<Webhook, 'version'>;
  /** The version's graph planned once; a graph that no longer plans keeps its error, thrown on every start. */
  plan: () => ExecutionPlan;
}

/**
 * How long an endpoint's settings and plan are reused without asking the database. The services of this process
 * that change endpoints (settings, secret rotation, publishing, deleting a workflow) call
 * {@link forgetPublishedHooks} once their change is committed, so here a change applies to the next delivery; with
 * several API processes, the others see it after at most this long.
 */
export const PUBLISHED_HOOK_TTL_MS = 5_000;
/** Beyond this many endpoints the oldest entry is dropped, so a flood of ids cannot grow the cache. */
const MAX_ENTRIES = 1_000;

interface Entry {
  loaded: Promise<PublishedHook | null>;
  expiresAt: number;
}

const entries = new Map<string, Entry>();

/**
 * The enabled endpoint `webhookId` with its plan, or null. Concurrent deliveries to one endpoint share one query;
 * an unknown or disabled id is not remembered, so enabling one needs no invalidation.
 */
export function findPublishedHook(orm: Database, webhookId: string, routes: ActivityRoutes | undefined, now = performance.now()): Promise<PublishedHook | null> {
  const cached = entries.get(webhookId);
  if (cached && cached.expiresAt > now) return cached.loaded;
  entries.delete(webhookId);
  const loaded = load(orm, webhookId, routes);
  const entry: Entry = { loaded, expiresAt: now + PUBLISHED_HOOK_TTL_MS };
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(webhookId, entry);
  loaded.then(
    (found) => found === null && forget(webhookId, entry),
    () => forget(webhookId, entry),
  );
  return loaded;
}

/** Every endpoint is read from the database again at its next delivery. */
export function forgetPublishedHooks(): void {
  entries.clear();
}

function forget(webhookId: string, entry: Entry): void {
  if (entries.get(webhookId) === entry) entries.delete(webhookId);
}

async function load(orm: Database, webhookId: string, routes: ActivityRoutes | undefined): Promise<PublishedHook | null> {
  const hook = await orm.em.fork().findOne(Webhook, { id: webhookId, enabled: true }, { populate: ['version'] });
  if (!hook) return null;
  let planned: { plan: ExecutionPlan } | { error: unknown } | undefined;
  return {
    hook,
    plan: () => {
      if (planned === undefined) {
        try {
          planned = { plan: planRun(hook.version.getEntity().graph, routes) };
        } catch (error) {
          planned = { error };
        }
      }
      if ('error' in planned) throw planned.error;
      return planned.plan;
    },
  };
}
