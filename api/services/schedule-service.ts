import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ScheduleNotFoundError, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { ScheduleLink, Workflow, WorkflowVersion } from '../../db/entities';
import type { ExecutionPlan } from '../../engine/plan';
import type { interpretGraph } from '../../workflows';
import type { CreateScheduleBody, OverlapPolicy, ScheduleDto, UpdateScheduleBody } from '../../contract/schedules';
import { ApiError } from '../http/api-error';
import type { Principal } from '../http/define-route';
import type { ApiServices } from '../services';
import { planScheduledVersion, scheduleAction, scheduledInputs } from './schedule-action';
import { checkBackfillSize, DEFAULT_BACKFILL_MAX_RUNS } from './schedule-backfill';
import { toScheduleDto } from './schedule-dto';
import { toTemporalOverlap, toTemporalPolicies, toTemporalSpec } from './schedule-spec';

/** Who acts and where: every schedule is looked up inside this workspace only. */
export type ScheduleScope = Pick<Principal, 'workspaceId' | 'userId' | 'email'>;

/**
 * Schedules of one workspace. Each is a Temporal Schedule, which fires on its own (also while no API runs); the
 * database keeps only the link from the schedule to the workflow version it starts.
 */
export class ScheduleService {
  constructor(
    private readonly em: EntityManager,
    private readonly services: ApiServices,
    private readonly scope: ScheduleScope,
  ) {}

  async create(body: CreateScheduleBody): Promise<ScheduleDto> {
    const workflow = await this.em.findOne(Workflow, { id: body.workflowId, workspace: this.scope.workspaceId });
    if (!workflow) throw ApiError.notFound('workflow');
    const version = await findVersion(this.em, workflow.id, body.version);
    const plan = planScheduledVersion(version, 'body.version');
    const link = this.em.create(ScheduleLink, { id: `sch-${randomUUID()}`, workspace: this.scope.workspaceId, workflow, version, name: body.name, createdBy: this.scope.userId });
    // The link goes in first: a crash before Temporal answers leaves a link that DELETE removes, never a schedule
    // that fires with nothing in the API pointing at it.
    await this.em.flush();
    try {
      await specCheckedByTemporal(() =>
        this.services.temporal.client.schedule.create({
          scheduleId: link.id,
          spec: toTemporalSpec(body.spec),
          action: this.action(link, version, plan, body.inputs ?? {}),
          policies: toTemporalPolicies(body.policies),
          state: { paused: body.paused, note: body.note, remainingActions: body.maxRuns },
        }),
      );
    } catch (error) {
      this.em.remove(link);
      await this.em.flush();
      throw error;
    }
    return this.describe(link);
  }

  /** Newest first. A link whose schedule is gone from Temporal (deleted there by hand) is left out and logged. */
  async list(workflowId?: string): Promise<ScheduleDto[]> {
    const links = await this.em.find(
      ScheduleLink,
      { workspace: this.scope.workspaceId, ...(workflowId ? { workflow: workflowId } : {}) },
      { populate: ['version'], orderBy: { createdAt: 'desc', id: 'asc' } },
    );
    const described = await Promise.all(
      links.map(async (link) => {
        try {
          return toScheduleDto(link, await this.handle(link).describe(), this.services.temporal);
        } catch (error) {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
          this.services.logger.warn({ scheduleId: link.id }, 'schedule link without a Temporal schedule; DELETE it to remove the link');
          return undefined;
        }
      }),
    );
    return described.filter((dto) => dto !== undefined);
  }

  async get(scheduleId: string): Promise<ScheduleDto> {
    return this.describe(await this.findLink(scheduleId));
  }

  /** Changes what is given: spec and inputs are replaced, policies merged; a new version re-plans the action. */
  async update(scheduleId: string, body: UpdateScheduleBody): Promise<ScheduleDto> {
    const link = await this.findLink(scheduleId);
    const version = body.version === undefined ? link.version.getEntity() : await findVersion(this.em, link.workflow.id, body.version);
    const plan = planScheduledVersion(version, 'body.version');
    const spec = body.spec && toTemporalSpec(body.spec);
    await inTemporal(() =>
      specCheckedByTemporal(() =>
        this.handle(link).update<typeof interpretGraph>((previous) => ({
          ...previous,
          spec: spec ?? previous.spec,
          action: this.action(link, version, plan, body.inputs ?? scheduledInputs(previous.action)),
          policies: toTemporalPolicies(body.policies, previous.policies),
          state: body.maxRuns === undefined ? previous.state : { ...previous.state, remainingActions: body.maxRuns ?? undefined },
        })),
      ),
    );
    this.em.assign(link, { version, ...(body.name ? { name: body.name } : {}) });
    await this.em.flush();
    return this.describe(link);
  }

  async setPaused(scheduleId: string, paused: boolean, note?: string): Promise<ScheduleDto> {
    const link = await this.findLink(scheduleId);
    const handle = this.handle(link);
    const byWhom = `${paused ? 'paused' : 'unpaused'} by ${this.scope.email}`;
    await inTemporal(() => (paused ? handle.pause(note ?? byWhom) : handle.unpause(note ?? byWhom)));
    return this.describe(link);
  }

  /** Starts a run now, as if one were due; without `overlap`, the schedule's own overlap policy applies. */
  async trigger(scheduleId: string, overlap?: OverlapPolicy): Promise<void> {
    const handle = this.handle(await this.findLink(scheduleId));
    await inTemporal(async () => handle.trigger(toTemporalOverlap(overlap) ?? (await handle.describe()).policies.overlap));
  }

  /**
   * Takes the runs that were due in [start, end) now, all at once, as the overlap policy allows, and answers how
   * many that is. A range due more runs than the configured maximum is refused before any starts.
   */
  async backfill(scheduleId: string, range: { start: string; end: string; overlap?: OverlapPolicy }): Promise<number> {
    const link = await this.findLink(scheduleId);
    const handle = this.handle(link);
    const bounds = { start: new Date(range.start), end: new Date(range.end) };
    const maxRuns = this.services.scheduleBackfillMaxRuns ?? DEFAULT_BACKFILL_MAX_RUNS;
    return inTemporal(async () => {
      const runs = await checkBackfillSize(this.services.temporal.client, link.id, bounds, maxRuns);
      await handle.backfill({
        start: bounds.start,
        // Temporal includes both ends; a run due exactly at the end belongs to the next range.
        end: new Date(bounds.end.getTime() - 1),
        overlap: toTemporalOverlap(range.overlap) ?? (await handle.describe()).policies.overlap,
      });
      return runs;
    });
  }

  async delete(scheduleId: string): Promise<void> {
    const link = await this.findLink(scheduleId);
    await deleteFromTemporal(this.services, link.id);
    this.em.remove(link);
    await this.em.flush();
  }

  private action(link: ScheduleLink, version: WorkflowVersion, plan: ExecutionPlan, inputs: Record<string, unknown>) {
    return scheduleAction({ scheduleId: link.id, workspaceId: link.workspace.id, version, plan, inputs, taskQueue: this.services.temporal.taskQueue, activityRoutes: this.services.temporal.activityRoutes });
  }

  private async findLink(scheduleId: string): Promise<ScheduleLink> {
    const link = await this.em.findOne(ScheduleLink, { id: scheduleId, workspace: this.scope.workspaceId }, { populate: ['version'] });
    if (!link) throw ApiError.notFound('schedule');
    return link;
  }

  private handle(link: ScheduleLink): ScheduleHandle {
    return this.services.temporal.client.schedule.getHandle(link.id);
  }

  private async describe(link: ScheduleLink): Promise<ScheduleDto> {
    const description: ScheduleDescription = await inTemporal(() => this.handle(link).describe());
    return toScheduleDto(link, description, this.services.temporal);
  }
}

/** Removes every schedule of a workflow, in Temporal and then the links; for deleting the workflow. */
export async function deleteSchedulesOfWorkflow(services: ApiServices, em: EntityManager, workflowId: string): Promise<void> {
  const links = await em.find(ScheduleLink, { workflow: workflowId });
  for (const link of links) {
    await deleteFromTemporal(services, link.id);
    em.remove(link);
  }
  await em.flush();
}

/**
 * Points every schedule of a workflow at another of its versions (for publishing), keeping each schedule's inputs.
 * Refuses (400, at `version`) a version without a Schedule or Start node, before changing anything. Returns the
 * ids of the schedules moved; a link whose schedule is gone from Temporal is left as it is.
 */
export async function moveSchedulesToVersion(services: ApiServices, em: EntityManager, workflowId: string, versionId: string): Promise<string[]> {
  const links = await em.find(ScheduleLink, { workflow: workflowId });
  if (links.length === 0) return [];
  const version = await em.findOneOrFail(WorkflowVersion, { id: versionId, workflow: workflowId });
  const plan = planScheduledVersion(version, 'version');
  const moved: string[] = [];
  for (const link of links) {
    const handle = services.temporal.client.schedule.getHandle(link.id);
    try {
      await handle.update<typeof interpretGraph>(
        (previous) => ({
          ...previous,
          action: scheduleAction({ scheduleId: link.id, workspaceId: link.workspace.id, version, plan, inputs: scheduledInputs(previous.action), taskQueue: services.temporal.taskQueue, activityRoutes: services.temporal.activityRoutes }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      services.logger.warn({ scheduleId: link.id }, 'schedule link without a Temporal schedule; not moved');
      continue;
    }
    em.assign(link, { version });
    moved.push(link.id);
  }
  await em.flush();
  return moved;
}

/** The named version of the workflow, or its latest when none is named. */
async function findVersion(em: EntityManager, workflowId: string, number: number | undefined): Promise<WorkflowVersion> {
  if (number === undefined) {
    const latest = await em.findOne(WorkflowVersion, { workflow: workflowId }, { orderBy: { number: 'desc' } });
    if (!latest) throw ApiError.conflict('no published version: publish the workflow before scheduling it');
    return latest;
  }
  const version = await em.findOne(WorkflowVersion, { workflow: workflowId, number });
  if (!version) throw new ApiError(404, 'not_found', `version ${number} of this workflow not found`, [{ path: 'body.version', message: 'no such published version' }]);
  return version;
}

/** Deleting a schedule Temporal no longer has is done already. */
async function deleteFromTemporal(services: ApiServices, scheduleId: string): Promise<void> {
  try {
    await services.temporal.client.schedule.getHandle(scheduleId).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}

/** A link whose schedule is gone from Temporal answers 404, like a schedule that never was. */
async function inTemporal<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    const notFound = new ApiError(404, 'not_found', 'schedule not found in Temporal (deleted there); DELETE it to remove it here too');
    notFound.cause = error;
    throw notFound;
  }
}

/**
 * Temporal checks the spec again when it saves it and has the last word: what it refuses (the client reports it as
 * a TypeError) is the caller's mistake, answered 400 at `body.spec`.
 */
async function specCheckedByTemporal<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const rejected = new ApiError(400, 'validation_failed', `Temporal refused the schedule: ${error.message}`, [{ path: 'body.spec', message: error.message }]);
    rejected.cause = error;
    throw rejected;
  }
}
