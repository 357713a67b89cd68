import { planRun } from '../../activities/plan-run';
import { Run } from '../../db/entities';
import type { FinishedTestRunDto, TestRunBody } from '../../contract/runs';
import { ApiError } from '../http/api-error';
import { checkedGraph } from './checked-graph';
import type { RunView } from './run-dto';
import { queryRecordedNodes } from './run-nodes';
import type { RecordedRun } from './run-reuse';
import { RunService, type RunServiceOptions } from './run-service';
import { testRunReuse } from './test-run-reuse';
import { WorkflowService } from './workflow-service';

/** How many times a finished test run's node states are read before answering without them. */
const NODE_READS = 5;

/**
 * Test runs: a draft's graph (saved or as the canvas holds it) run through the same interpreter and Temporal workflow
 * as a published version, marked `test`. They have no version, stay out of the production run lists, are never
 * started by a webhook or schedule (those start published versions only) and are deleted sooner (test-run-retention.ts).
 */
export class TestRunService {
  private readonly runs: RunService;

  constructor(private readonly options: RunServiceOptions) {
    this.runs = new RunService(options);
  }

  /** Starts the test run and, with `wait`, waits up to that many seconds for it: `finished` when it closed in time. */
  async start(workflowId: string, body: TestRunBody): Promise<{ run: RunView; finished?: FinishedTestRunDto }> {
    const workflow = await new WorkflowService(this.options.em, this.options.principal).find(workflowId);
    const graph = body.graph === undefined ? checkedGraph(workflow.draftGraph, 'draft') : checkedGraph(body.graph, 'body.graph');
    const plan = planRun(graph);
    if (body.node !== undefined && !plan.nodes.some((node) => node.id === body.node)) {
      const message = `no node "${body.node}" in the graph`;
      throw new ApiError(400, 'validation_failed', `invalid body: body.node: ${message}`, [{ path: 'body.node', message }]);
    }
    const latest = body.node === undefined ? undefined : await this.latestTestRun(workflowId);
    const { reuse, missing } = testRunReuse(graph, plan, { node: body.node, latest: latest?.recorded });
    if (missing.length > 0) {
      const listed = missing.map((id) => `"${id}"`).join(', ');
      throw ApiError.conflict(`testing node "${body.node}" needs an output of ${listed}: pin one, or test-run the whole workflow first`);
    }
    const run = await this.runs.launch({
      workflowId,
      workflowName: workflow.name,
      graph,
      version: null,
      inputs: body.inputs ?? latest?.inputs ?? {},
      trigger: 'test',
      reuse,
      rerunOf: latest?.id,
      rerunFromNode: body.node,
    });
    const waitUntil = Date.now() + body.wait * 1000;
    if (!(await this.runs.awaitClose(run, body.wait))) return { run };
    let detail = await this.runs.get(run.id, true);
    // A closed run's node states come from a worker replaying its history, which a busy worker may not do within one
    // query's deadline: ask again while the caller's wait lasts, since the node's outcome is what a test asked for.
    for (let asked = 1; detail.nodes === null && asked < NODE_READS && Date.now() < waitUntil; asked++) detail = await this.runs.get(run.id, true);
    return { run, finished: { ...detail, node: body.node === undefined ? null : (detail.nodes?.find((node) => node.id === body.node) ?? null) } };
  }

  /** The newest test run of the workflow whose node outcomes can be read now; undefined when there is none. */
  private async latestTestRun(workflowId: string): Promise<{ id: string; inputs: Record<string, unknown>; recorded: RecordedRun } | undefined> {
    const { em, principal, services } = this.options;
    const run = await em.findOne(Run, { workflow: workflowId, workspace: principal.workspaceId, trigger: 'test' }, { orderBy: { startedAt: 'desc', id: 'desc' } });
    if (!run) return undefined;
    const recorded = await queryRecordedNodes(services.temporal.client, run, services.logger);
    if ('unavailable' in recorded) throw ApiError.conflict(`the outcomes of the latest test run (${run.id}) cannot be read now: ${recorded.unavailable}`);
    return { id: run.id, inputs: run.inputs, recorded };
  }
}
