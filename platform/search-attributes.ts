import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes set on every run, so runs can be filtered by them in Temporal Web UI and the API. */
export const KAI_TRIGGER = defineSearchAttributeKey('KaiTrigger', SearchAttributeType.KEYWORD);
export const KAI_WORKFLOW_ID = defineSearchAttributeKey('KaiWorkflowId', SearchAttributeType.KEYWORD);

/** Registered by the dev server at start; a real cluster needs `temporal operator search-attribute create`. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword'> = {
  [KAI_TRIGGER.name]: 'Keyword',
  [KAI_WORKFLOW_ID.name]: 'Keyword',
};
