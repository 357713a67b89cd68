import { randomUUID } from 'node:crypto';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { isGrpcDeadlineError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { Run } from '../../db/entities';
import { planRun } from '../../activities/plan-run';
import type { Graph } from '../../engine/graph';
import type { ReusedOutcome, RunResult } from '../../engine/run-state';
import { startRun } from '../../platform/start-run';
import { decideApprovalUpdate } from '../../workflows/messages';
import { runIdSchema, type ApprovalBody, type ListRunsQuery, type RerunBody, type RunDetailDto, type RunRecordDto, type RunSummaryDto, type StartRunBody } from '../../contract/runs';
import { ApiError } from '../http/api-error';
import type { Principal } from '../http/define-route';
import type { ApiServices } from '../services';
import { decodeCursor, encodeCursor } from './page-cursor';
import { NOT_YET_STARTED, temporalWorkflowLink, toRunRecordDto, toRunSummaryDto, viewOfRun, type RunView } from './run-dto';
import { readAttemptLogs } from './run-attempts';
import { describeNodes, queryRecordedNodes } from './run-nodes';
import { WorkspaceOutputs } from './run-outputs';
import { recordSucceeded, refreshRuns } from './run-refresh';
import { deleteRunRow, findRunnableVersion, insertRunRow, recordRunProgress, type RunnableVersion } from './run-rows';
import { planReuse } from './run-reuse';
import { pinnedNodeIds, testRunReuse } from './test-run-reuse';

/** A request asks Temporal about the runs it returns for at most this long; rows it learns nothing about stay as they are. */
const REFRESH_MS = 2_000;

export interface RunServiceOptions {
  em: EntityManager;
  services: ApiServices;
  /** Every run is started and looked up within this principal's workspace. */
  principal: Principal;
}

/** What a run runs: a published version, or (a test run) a draft's graph. */
export interface Launch {
  workflowId: string;
  workflowName: string;
  graph: Graph;
  version: Pick<RunnableVersion, 'versionId' | 'versionNumber'> | null;
  inputs: Record<string, unknown>;
  trigger: 'api' | 'rerun' | 'test';
  rerunOf?: string;
  rerunFromNode?: string;
  reuse?: Record<string, ReusedOutcome>;
}

/** The graph a run ran: its version's, or the draft a test run was given. `version` must be populated. */
function graphOfRun(run: Run): Graph {
  const graph = run.graph ?? run.version?.getEntity().graph;
  if (!graph) throw new Error(`run ${run.id} has neither a version nor a graph`);
  return graph;
}

/** Runs of one workspace: started, listed and read from the index, and steered through Temporal. */
export class RunService {
  private readonly em: EntityManager;
  private readonly services: ApiServices;
  private readonly principal: Principal;

  constructor(options: RunServiceOptions) {
    this.em = options.em;
    this.services = options.services;
    this.principal = options.principal;
  }

  private get temporal() {
    return this.services.temporal;
  }

  /**
   * Starts a run of a published version (the latest unless one is named) and, with `wait`, waits up to that many
   * seconds for it to close: `finished` is the finished run's record when it did.
   */
  async start(workflowId: string, body: StartRunBody): Promise<{ run: RunView; finished?: RunRecordDto }> {
    const found = await findRunnableVersion(this.services.orm, this.principal.workspaceId, workflowId, body.version);
    if (!found.workflow) throw ApiError.notFound('workflow');
    const { version } = found;
    if (!version && body.version === undefined) throw ApiError.conflict('no published version: publish the workflow before running it');
    if (!version) throw new ApiError(404, 'not_found', `version ${body.version} of this workflow not found`, [{ path: 'body.version', message: 'no such published version' }]);
    const run = await this.launch({ workflowId, workflowName: found.workflowName, graph: version.graph, version, inputs: body.inputs, trigger: 'api' });
    return { run, finished: await this.awaitClose(run, body.wait) };
  }

  /**
   * The row goes in first, marked not yet started, then Temporal is asked to start the run under the row's id. So
   * there is never a run the index does not know: if the start fails the row is removed, and a row the API could
   * not remove or finish (it stopped midway) is settled by the reconciler from what Temporal says about that id.
   * The Temporal run id is saved by the caller, with the run's outcome when it waits for one.
   */
  async launch(launch: Launch): Promise<RunView> {
    const { version } = launch;
    const run: RunView = {
      id: `run-${randomUUID()}`,
      workflowId: launch.workflowId,
      workflowName: launch.workflowName,
      versionNumber: version?.versionNumber ?? null,
      status: 'running',
      trigger: launch.trigger,
      startedBy: { id: this.principal.userId, email: this.principal.email },
      startedAt: new Date(),
      endedAt: null,
      error: null,
      rerunOf: launch.rerunOf ?? null,
      rerunFromNode: launch.rerunFromNode ?? null,
      inputs: launch.inputs,
      result: null,
      temporalRunId: NOT_YET_STARTED,
    };
    const { orm } = this.services;
    await insertRunRow(orm, {
      ...run,
      workspaceId: this.principal.workspaceId,
      versionId: version?.versionId ?? null,
      versionNumber: run.versionNumber ?? null,
      graph: version ? null : launch.graph,
      startedById: this.principal.userId,
    });
    let handle;
    try {
      handle = await startRun(this.temporal.client, {
        graph: launch.graph,
        inputs: launch.inputs,
        taskQueue: this.temporal.taskQueue,
        activityRoutes: this.temporal.activityRoutes,
        runId: run.id,
        reuse: launch.reuse,
        meta: {
          trigger: launch.trigger,
          workspaceId: this.principal.workspaceId,
          workflowId: launch.workflowId,
          workflowVersion: version?.versionNumber,
          startedBy: this.principal.email,
          rerunOf: launch.rerunOf,
        },
      });
    } catch (error) {
      await deleteRunRow(orm, run.id).catch((removal: unknown) => this.services.logger.error({ err: removal, runId: run.id }, 'could not remove the row of a run Temporal did not start; the reconciler will'));
      throw error;
    }
    run.temporalRunId = handle.firstExecutionRunId;
    return run;
  }

  /** The run is started and indexed; a Temporal run id that could not be saved is read back by the reconciler. */
  private async recordRunId(run: RunView): Promise<void> {
    try {
      await recordRunProgress(this.services.orm, run.id, { temporalRunId: run.temporalRunId });
    } catch (error) {
      this.services.logger.warn({ err: error, runId: run.id }, 'could not record the Temporal run id of a started run');
    }
  }

  /**
   * Waits up to `seconds` for the run to close and saves what is known of it: its Temporal run id and, when it
   * closed, its outcome. The finished run's record when it closed, undefined when it is still running.
   */
  async awaitClose(run: RunView, seconds: number): Promise<RunRecordDto | undefined> {
    if (seconds <= 0) return this.stillRunning(run);
    const handle = this.temporal.client.workflow.getHandle(run.id, run.temporalRunId);
    try {
      recordSucceeded(run, await this.temporal.client.withDeadline(Date.now() + seconds * 1000, () => handle.result()));
    } catch (error) {
      if (isGrpcDeadlineError(error)) return this.stillRunning(run);
      if (!(error instanceof WorkflowFailedError)) {
        // The run has started either way; the client can follow it at the Location given.
        this.services.logger.warn({ err: error, runId: run.id }, 'waiting for a run to finish failed');
        return this.stillRunning(run);
      }
      // A run that failed, or was cancelled or terminated, has finished too: the refresh records how.
      const row = await this.find(run.id);
      await this.refresh([row]);
      return row.status === 'running' ? undefined : toRunRecordDto(viewOfRun(row), this.temporal);
    }
    await recordRunProgress(this.services.orm, run.id, { temporalRunId: run.temporalRunId, succeeded: { result: run.result as RunResult, endedAt: run.endedAt as Date } });
    return toRunRecordDto(run, this.temporal);
  }

  private async stillRunning(run: RunView): Promise<undefined> {
    await this.recordRunId(run);
    return undefined;
  }

  async list(query: ListRunsQuery): Promise<{ items: RunSummaryDto[]; nextCursor: string | null }> {
    const where: FilterQuery<Run> = { workspace: this.principal.workspaceId };
    if (query.workflowId) where.workflow = query.workflowId;
    if (query.status) where.status = query.status;
    // Test runs are listed only when asked for, and then alone.
    where.trigger = query.kind === 'test' ? 'test' : query.trigger ? query.trigger : { $ne: 'test' };
    if (query.startedAfter || query.startedBefore) {
      where.startedAt = {
        ...(query.startedAfter ? { $gte: new Date(query.startedAfter) } : {}),
        ...(query.startedBefore ? { $lt: new Date(query.startedBefore) } : {}),
      };
    }
    if (query.cursor) {
      const { at, id } = decodeCursor(query.cursor, runIdSchema);
      where.$or = [{ startedAt: { $lt: at } }, { startedAt: at, id: { $lt: id } }];
    }
    const rows = await this.em.find(Run, where, { orderBy: { startedAt: 'desc', id: 'desc' }, limit: query.limit + 1, populate: ['startedBy', 'workflow'] });
    const page = rows.slice(0, query.limit);
    await this.refresh(page);
    const last = page[page.length - 1];
    return {
      items: page.map((run) => toRunSummaryDto(viewOfRun(run), this.temporal)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.startedAt, id: last.id }) : null,
    };
  }

  /** The run with its nodes; stored outputs are loaded unless `resolve` is false. */
  async get(runId: string, resolve: boolean): Promise<RunDetailDto> {
    const run = await this.find(runId);
    await this.refresh([run]);
    const record = toRunRecordDto(viewOfRun(run), this.temporal);
    const recorded = await queryRecordedNodes(this.temporal.client, run, this.services.logger);
    if ('unavailable' in recorded) return { ...record, nodes: null, nodesUnavailable: recorded.unavailable, graph: run.graph ?? null };
    const outputs = resolve ? new WorkspaceOutputs(this.em, this.principal.workspaceId) : undefined;
    const graph = graphOfRun(run);
    const plan = planRun(graph);
    const result = record.result && outputs ? { ...record.result, output: (await outputs.resolve(record.result.output)).value } : record.result;
    const pinned = run.graph ? pinnedNodeIds(run.graph, run.rerunFromNode ?? null) : new Set<string>();
    const described = await describeNodes(plan, recorded, outputs, (workflowId) => temporalWorkflowLink(workflowId, this.temporal));
    const attemptLogs = await readAttemptLogs(this.em, run.id);
    const nodes = described.map((node) => ({
      ...node,
      ...(pinned.has(node.id) && node.status === 'succeeded' ? { pinned: true } : {}),
      ...(attemptLogs.has(node.id) ? { attemptLog: attemptLogs.get(node.id) } : {}),
    }));
    return { ...record, result, nodes, nodesUnavailable: null, graph: run.graph ?? null };
  }

  /** Asks Temporal to cancel the run; its status becomes `cancelled` once the run has stopped. */
  async cancel(runId: string): Promise<RunRecordDto> {
    const run = await this.findRunning(runId);
    await this.whileRunning(run, () => this.handleOf(run).cancel());
    return toRunRecordDto(viewOfRun(run), this.temporal);
  }

  async terminate(runId: string, reason: string | undefined): Promise<RunRecordDto> {
    const run = await this.findRunning(runId);
    await this.whileRunning(run, () => this.handleOf(run).terminate(reason ?? `terminated by ${this.principal.email}`));
    await this.refresh([run]);
    return toRunRecordDto(viewOfRun(run), this.temporal);
  }

  /** Approves or rejects a waiting Approval node; the run refuses (409) when that node is not waiting. */
  async decide(runId: string, nodeId: string, approved: boolean, body: ApprovalBody): Promise<{ nodeId: string; approved: boolean }> {
    const run = await this.findRunning(runId);
    const graph = graphOfRun(run);
    if (!graph.nodes.some((node) => node.id === nodeId)) throw ApiError.notFound(`node "${nodeId}" in this run`);
    try {
      return await this.whileRunning(run, () =>
        this.handleOf(run).executeUpdate(decideApprovalUpdate, { args: [{ nodeId, approved, data: body.data, comment: body.comment, by: this.principal.email }] }),
      );
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw ApiError.conflict(error.cause?.message ?? error.message);
      throw error;
    }
  }

  /**
   * Starts a run of the same version from `fromNode` on: every node not downstream of it takes its recorded outcome
   * from the earlier run instead of running again, so work already paid for is not repeated.
   */
  async rerun(runId: string, body: RerunBody): Promise<RunView> {
    const earlier = await this.find(runId);
    await this.refresh([earlier]);
    if (earlier.status === 'running') throw ApiError.conflict('the run is still running: wait for it to finish or cancel it before re-running it');
    const version = earlier.version?.getEntity();
    const graph = graphOfRun(earlier);
    const plan = planRun(graph);
    if (!plan.nodes.some((node) => node.id === body.fromNode)) {
      const message = `no node "${body.fromNode}" in ${version ? `version ${version.number} of this workflow` : 'the graph this test run ran'}`;
      throw new ApiError(400, 'validation_failed', `invalid body: body.fromNode: ${message}`, [{ path: 'body.fromNode', message }]);
    }
    const recorded = await queryRecordedNodes(this.temporal.client, earlier, this.services.logger);
    if ('unavailable' in recorded) throw ApiError.conflict(`the outcomes the earlier run recorded cannot be read now: ${recorded.unavailable}`);
    const { reuse: recordedReuse, unrecorded } = planReuse(plan, body.fromNode, recorded);
    // A test run's pinned nodes keep standing in for themselves downstream too; the node it starts from runs.
    const pins = earlier.graph ? testRunReuse(earlier.graph, plan).reuse : {};
    delete pins[body.fromNode];
    const reuse = { ...pins, ...recordedReuse };
    if (unrecorded.length > 0) {
      const listed = unrecorded.map((node) => `${node.nodeId} (${node.status})`).join(', ');
      throw ApiError.conflict(`the earlier run did not record an outcome for nodes "${body.fromNode}" depends on: ${listed}`);
    }
    const run = await this.launch({
      workflowId: earlier.workflow.id,
      workflowName: earlier.workflow.getEntity().name,
      graph,
      version: version ? { versionId: version.id, versionNumber: version.number } : null,
      inputs: body.inputs ?? earlier.inputs,
      // A re-run of a test run is a test run too: same draft graph, same retention, kept out of production lists.
      trigger: version ? 'rerun' : 'test',
      rerunOf: earlier.id,
      rerunFromNode: body.fromNode,
      reuse,
    });
    await this.recordRunId(run);
    return run;
  }

  /** The run in this workspace, with who started it, its workflow and its version. */
  async find(runId: string): Promise<Run> {
    const run = await this.em.findOne(Run, { id: runId, workspace: this.principal.workspaceId }, { populate: ['startedBy', 'workflow', 'version'] });
    if (!run) throw ApiError.notFound('run');
    return run;
  }

  private async findRunning(runId: string): Promise<Run> {
    const run = await this.find(runId);
    await this.refresh([run]);
    if (run.status !== 'running') throw ApiError.conflict(`the run is not running (its status is ${run.status})`);
    return run;
  }

  /** Runs `signal` against the run; a run that closed meanwhile answers 409 as if it had been closed before. */
  private async whileRunning<T>(run: Run, signal: () => Promise<T>): Promise<T> {
    try {
      return await signal();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      await this.refresh([run]);
      throw ApiError.conflict(`the run is not running (its status is ${run.status})`);
    }
  }

  private handleOf(run: Run) {
    return this.temporal.client.workflow.getHandle(run.id, run.temporalRunId === NOT_YET_STARTED ? undefined : run.temporalRunId);
  }

  private refresh(runs: Run[]): Promise<number> {
    return refreshRuns({ em: this.em, client: this.temporal.client, logger: this.services.logger, deadline: Date.now() + REFRESH_MS }, runs);
  }
}
