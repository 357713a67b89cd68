import type { Component } from 'svelte';
import { matchRoute } from '$lib/router/route-match';
import EditorPage from './editor/EditorPage.svelte';
import WorkflowListPage from './workflows/WorkflowListPage.svelte';

/** What every page receives: the parameters of its path (`:workflowId`…), empty for paths without any. */
export interface PageProps {
  params: Record<string, string>;
}

/**
 * A page kept out of the app's first download: its chunk is fetched the first time it is opened. Pages people
 * rarely open first are lazy, so opening the editor (the heaviest page) parses less script.
 */
export class LazyPage {
  constructor(readonly load: () => Promise<{ default: Component<PageProps> }>) {}
}

/** A page of the app: where it lives, what it shows, and its entry in the navigation bar (if any). */
export interface PageEntry {
  path: string;
  component: Component<PageProps> | LazyPage;
  nav?: string;
}

/** Every page, first match wins; a `nav` label puts it in the top bar. */
export const pages: PageEntry[] = [
  { path: '/workflows', component: WorkflowListPage, nav: 'Workflows' },
  { path: '/workflows/:workflowId', component: EditorPage },
  { path: '/workflows/:workflowId/triggers', component: new LazyPage(() => import('./triggers/TriggersPage.svelte')) },
  { path: '/workflows/:workflowId/versions', component: new LazyPage(() => import('./versions/VersionHistoryPage.svelte')) },
  { path: '/runs', component: new LazyPage(() => import('./runs/RunListPage.svelte')), nav: 'Runs' },
  { path: '/runs/:runId', component: new LazyPage(() => import('./runs/RunDetailPage.svelte')) },
  { path: '/credentials', component: new LazyPage(() => import('./credentials/CredentialsPage.svelte')), nav: 'Credentials' },
  { path: '/collections', component: new LazyPage(() => import('./collections/CollectionsPage.svelte')), nav: 'Collections' },
];

export const HOME = '/workflows';

export function pageAt(path: string): { page: PageEntry; params: Record<string, string> } | null {
  for (const page of pages) {
    const params = matchRoute(page.path, path);
    if (params) return { page, params };
  }
  return null;
}
