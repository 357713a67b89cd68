import type { NodeRegistry } from '../engine/plan-execution';
import type { NodeDefinition, TaskNodeDefinition } from './node-definition';
import { AGENT_MODEL_ACTIVITY, agentModelRetry, agentModelTimeouts, agentNode } from './nodes/agent';
import { approvalNode } from './nodes/approval';
import { calculatorNode } from './nodes/calculator';
import { chatTriggerNode } from './nodes/chat-trigger';
import { codeNode } from './nodes/code';
import { conditionNode } from './nodes/condition';
import { databaseQueryNode } from './nodes/database-query';
import { delayNode } from './nodes/delay';
import { documentLoaderNode } from './nodes/document-loader';
import { embeddingsNode } from './nodes/embeddings';
import { endNode } from './nodes/end';
import { forEachNode, PLAN_FOR_EACH_ACTIVITY, planForEachRetry, planForEachTimeouts } from './nodes/for-each';
import { githubLoaderNode } from './nodes/github-loader';
import { httpRequestNode } from './nodes/http-request';
import { llmChatNode } from './nodes/llm-chat';
import { memoryBufferWindowNode } from './nodes/memory-buffer-window';
import { memorySummaryNode } from './nodes/memory-summary';
import { memoryTokenBufferNode } from './nodes/memory-token-buffer';
import { rerankerNode } from './nodes/reranker';
import { retrievalQaNode } from './nodes/retrieval-qa';
import { retrieverNode } from './nodes/retriever';
import { PLAN_WORKFLOW_ACTIVITY, planWorkflowRetry, planWorkflowTimeouts, runWorkflowNode } from './nodes/run-workflow';
import { scheduleTriggerNode } from './nodes/schedule-trigger';
import { setNode } from './nodes/set';
import { startNode } from './nodes/start';
import { textSplitterNode } from './nodes/text-splitter';
import { transformNode } from './nodes/transform';
import { vectorStoreDeleteNode } from './nodes/vector-store-delete';
import { vectorStoreUpsertNode } from './nodes/vector-store-upsert';
import { webScraperNode } from './nodes/web-scraper';
import { webSearchNode } from './nodes/web-search';
import { wikipediaNode } from './nodes/wikipedia';
import { webhookTriggerNode } from './nodes/webhook-trigger';
import { youtubeTranscriptNode } from './nodes/youtube-transcript';

/** Every node type the engine knows, every version of it. Old versions stay listed so saved graphs keep running. */
export const nodeDefinitions: readonly NodeDefinition[] = [
  startNode,
  webhookTriggerNode,
  scheduleTriggerNode,
  chatTriggerNode,
  endNode,
  setNode,
  transformNode,
  codeNode,
  httpRequestNode,
  conditionNode,
  delayNode,
  approvalNode,
  runWorkflowNode,
  forEachNode,
  llmChatNode,
  agentNode,
  memoryBufferWindowNode,
  memoryTokenBufferNode,
  memorySummaryNode,
  webSearchNode,
  wikipediaNode,
  calculatorNode,
  webScraperNode,
  documentLoaderNode,
  githubLoaderNode,
  youtubeTranscriptNode,
  textSplitterNode,
  embeddingsNode,
  vectorStoreUpsertNode,
  retrieverNode,
  vectorStoreDeleteNode,
  rerankerNode,
  retrievalQaNode,
  databaseQueryNode,
] as NodeDefinition[];

export function findNodeDefinition(type: string, version: number): NodeDefinition | undefined {
  return nodeDefinitions.find((definition) => definition.type === type && definition.version === version);
}

export function taskNodeDefinitions(): TaskNodeDefinition[] {
  return nodeDefinitions.filter((definition): definition is TaskNodeDefinition => definition.kind === 'task');
}

/** What planning needs: the definitions, and the activities behind the kinds the interpreter carries out itself. */
export const nodeRegistry: NodeRegistry = {
  definitions: nodeDefinitions,
  stepActivities: {
    agent: { activityType: AGENT_MODEL_ACTIVITY, retry: agentModelRetry, timeouts: agentModelTimeouts },
    subworkflow: { activityType: PLAN_WORKFLOW_ACTIVITY, retry: planWorkflowRetry, timeouts: planWorkflowTimeouts },
    'for-each': { activityType: PLAN_FOR_EACH_ACTIVITY, retry: planForEachRetry, timeouts: planForEachTimeouts },
  },
};
