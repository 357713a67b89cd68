import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { Graph } from '../../engine/graph';
import type { RunResult } from '../../engine/run-state';
import { User } from './user';
import { Workflow } from './workflow';
import { WorkflowVersion } from './workflow-version';
import { Workspace } from './workspace';

/** `test`: a run of a draft (the canvas's Test run), kept apart from production runs and deleted sooner. */
export const RUN_TRIGGERS = ['api', 'cli', 'webhook', 'schedule', 'rerun', 'test'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** Temporal's workflow execution statuses that a run can end in, plus `running`. */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'terminated', 'timed_out'] as const;
export type RunExecutionStatus = (typeof RUN_STATUSES)[number];

/** One execution of a workflow version; Temporal holds the history, this row makes runs listable per workspace. */
export const Run = defineEntity({
  name: 'Run',
  tableName: 'runs',
  properties: (p) => ({
    /** The Temporal workflow id. */
    id: p.text().primary(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    workflow: p.manyToOne(Workflow).ref().deleteRule('cascade'),
    /** Null for a test run, which runs a draft. */
    version: p.manyToOne(WorkflowVersion).ref().nullable().deleteRule('cascade').index(),
    versionNumber: p.integer().nullable(),
    /** The graph a test run ran (pins included); null for runs of a version, whose graph is the version's. */
    graph: p.json<Graph>().nullable(),
    trigger: p.enum([...RUN_TRIGGERS]),
    startedBy: p.manyToOne(User).ref().nullable().deleteRule('set null'),
    temporalRunId: p.text(),
    status: p.enum([...RUN_STATUSES]),
    inputs: p.json<Record<string, unknown>>(),
    result: p.json<RunResult>().nullable(),
    error: p.text().nullable(),
    startedAt: p.datetime().onCreate(() => new Date()),
    endedAt: p.datetime().nullable(),
    /** The run this one re-ran, by id; plain text so deleting old runs never touches their re-runs. */
    rerunOf: p.text().nullable(),
    rerunFromNode: p.text().nullable(),
  }),
  indexes: [
    {
      // Serves the run list, newest first, paged by the (started_at, id) of the last row seen.
      name: 'runs_workspace_started_at_id_index',
      expression: 'create index "runs_workspace_started_at_id_index" on "runs" ("workspace_id", "started_at" desc, "id" desc)',
    },
    { properties: ['workflow', 'startedAt'] },
    // Serves the deletion of test runs past their retention.
    { properties: ['trigger', 'startedAt'] },
  ],
});

export type Run = InferEntity<typeof Run>;
