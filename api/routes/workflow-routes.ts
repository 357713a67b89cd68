import { z } from 'zod';
import { createWorkflowBody, exportWorkflowQuery, importedWorkflowDto, importWorkflowBody, listWorkflowsQuery, publishBody, publishedVersionDto, updateWorkflowBody, workflowDocument, workflowDto, workflowPageDto, workflowParams, workflowVersionDto, workflowVersionParams, workflowVersionSummaryDto } from '../../contract/workflows';
import { defineRoute, Reply } from '../http/define-route';
import { WorkflowService } from '../services/workflow-service';
import { WorkflowTransfer } from '../services/workflow-transfer';
import { deleteSchedulesOfWorkflow } from '../services/schedule-service';
import { WorkflowVersionService } from '../services/workflow-version-service';

const tag = 'Workflows';

export const workflowRoutes = [
  defineRoute({
    method: 'post',
    path: '/workflows',
    summary: 'Create a workflow; its draft graph is saved as drawn, answered with its problems (default: a lone Start node)',
    tag,
    access: 'editor',
    body: createWorkflowBody,
    status: 201,
    response: workflowDto,
    handler: async ({ principal, body, em }) => new Reply(201, await new WorkflowService(em, principal).create(body)),
  }),
  defineRoute({
    method: 'get',
    path: '/workflows',
    summary: 'Workflows of this workspace, most recently updated first, with their latest version and last run',
    tag,
    access: 'viewer',
    query: listWorkflowsQuery,
    response: workflowPageDto,
    handler: async ({ principal, query, em }) => new WorkflowService(em, principal).list(query),
  }),
  defineRoute({
    method: 'post',
    path: '/workflows/import',
    summary: 'Create a workflow from an exported document; credentials and version history do not come along',
    tag,
    access: 'editor',
    body: importWorkflowBody,
    status: 201,
    response: importedWorkflowDto,
    handler: async ({ principal, body, em }) => new Reply(201, await new WorkflowTransfer(em, principal).import(body)),
  }),
  defineRoute({
    method: 'get',
    path: '/workflows/:workflowId',
    summary: 'A workflow with its draft graph',
    tag,
    access: 'viewer',
    params: workflowParams,
    response: workflowDto,
    handler: async ({ principal, params, em }) => new WorkflowService(em, principal).get(params.workflowId),
  }),
  defineRoute({
    method: 'patch',
    path: '/workflows/:workflowId',
    summary: 'Rename, describe, tag or redraw a workflow; a draft with problems is saved too, and they are answered',
    tag,
    access: 'editor',
    params: workflowParams,
    body: updateWorkflowBody,
    response: workflowDto,
    handler: async ({ principal, params, body, em }) => new WorkflowService(em, principal).update(params.workflowId, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/workflows/:workflowId',
    summary: 'Delete a workflow with its versions, runs, webhooks and schedules',
    tag,
    access: 'editor',
    params: workflowParams,
    status: 204,
    handler: async ({ principal, params, em, services }) => {
      const workflows = new WorkflowService(em, principal);
      await workflows.find(params.workflowId);
      await deleteSchedulesOfWorkflow(services, em, params.workflowId);
      await workflows.remove(params.workflowId);
      return new Reply(204, undefined);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/workflows/:workflowId/versions',
    summary: 'Publish the draft as the next immutable version (1, 2, …); a draft with problems is refused, pinned data left out',
    tag,
    access: 'editor',
    params: workflowParams,
    body: publishBody,
    status: 201,
    response: publishedVersionDto,
    handler: async ({ principal, params, body, em, services }) => new Reply(201, await new WorkflowVersionService(em, principal).publish(params.workflowId, body, services)),
  }),
  defineRoute({
    method: 'get',
    path: '/workflows/:workflowId/versions',
    summary: 'Published versions, newest first',
    tag,
    access: 'viewer',
    params: workflowParams,
    response: z.array(workflowVersionSummaryDto),
    handler: async ({ principal, params, em }) => new WorkflowVersionService(em, principal).list(params.workflowId),
  }),
  defineRoute({
    method: 'get',
    path: '/workflows/:workflowId/versions/:versionNumber',
    summary: 'One published version with its graph',
    tag,
    access: 'viewer',
    params: workflowVersionParams,
    response: workflowVersionDto,
    handler: async ({ principal, params, em }) => new WorkflowVersionService(em, principal).get(params.workflowId, params.versionNumber),
  }),
  defineRoute({
    method: 'get',
    path: '/workflows/:workflowId/export',
    summary: 'The workflow as one JSON document to import elsewhere (credentials are referenced by id, not exported)',
    tag,
    access: 'viewer',
    params: workflowParams,
    query: exportWorkflowQuery,
    response: workflowDocument,
    handler: async ({ principal, params, query, em }) => {
      const { document, filename } = await new WorkflowTransfer(em, principal).export(params.workflowId, query);
      return new Reply(200, document, { 'content-disposition': `attachment; filename="${filename}"` });
    },
  }),
];
