import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';
import { User } from './user';
import { Workflow } from './workflow';
import { WorkflowVersion } from './workflow-version';
import { Workspace } from './workspace';

/**
 * Ties a Temporal Schedule to the workflow version it starts. Everything else about the schedule (spec, policies,
 * paused, next fire times, recent runs) lives in Temporal and is read from it.
 */
export const ScheduleLink = defineEntity({
  name: 'ScheduleLink',
  tableName: 'schedule_links',
  properties: (p) => ({
    /** The Temporal Schedule id. */
    id: p.text().primary(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    workflow: p.manyToOne(Workflow).ref().deleteRule('cascade'),
    version: p.manyToOne(WorkflowVersion).ref().deleteRule('cascade'),
    name: p.text(),
    createdBy: p.manyToOne(User).ref().nullable().deleteRule('set null'),
    createdAt: createdAt(),
  }),
  indexes: [{ properties: ['workflow'] }],
});

export type ScheduleLink = InferEntity<typeof ScheduleLink>;
