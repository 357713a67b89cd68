import { dragFromPalette, selectNode, setAutosave, signedInCanvas } from './canvas-harness';

/** Issue 15: unsaved work is never lost — drafts autosave, leaving asks first, and undo back to the saved state is no change. */
describe('canvas: unsaved work', () => {
  const session = signedInCanvas();

  async function openNewWorkflow(autosave: boolean): Promise<string> {
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `unsaved ${Date.now()}` } });
    expect(created.status).toBe(201);
    await session.harness.page.goto(`${session.harness.api.url}/workflows/${created.body.id}`);
    await session.harness.page.getByTestId('palette').waitFor();
    await setAutosave(session.harness.page, autosave);
    return created.body.id;
  }

  const savedNodeIds = async (workflowId: string) =>
    ((await session.harness.api.request('GET', `/api/v1/workflows/${workflowId}`, { token: session.token })).body.graph.nodes as { id: string }[]).map((node) => node.id);
  const draftState = () => session.harness.page.getByTestId('draft-state');

  it('autosaves the draft after a change through the same save as the button', async () => {
    const { page } = session.harness;
    const workflowId = await openNewWorkflow(true);
    await dragFromPalette(page, 'set', { x: 450, y: 250 });
    await page.getByTestId('node-set_1').waitFor();
    await page.getByTestId('editor-notice').filter({ hasText: 'Draft autosaved' }).waitFor();
    await draftState().filter({ hasText: /^saved/ }).waitFor();
    expect(await savedNodeIds(workflowId)).toEqual(['start', 'set_1']);
  });

  it('shows a failed autosave and keeps the changes unsaved', async () => {
    const { page } = session.harness;
    const workflowId = await openNewWorkflow(true);
    await dragFromPalette(page, 'set', { x: 450, y: 250 });
    await page.getByTestId('editor-notice').filter({ hasText: 'Draft autosaved' }).waitFor();
    await selectNode(page, 'set_1');
    // The API takes labels of up to 200 characters: this one is refused.
    await page.fill('#node-label', 'x'.repeat(201));
    await page.getByTestId('editor-notice').filter({ hasText: 'Autosave failed' }).waitFor();
    await page.getByRole('alert').waitFor();
    await draftState().filter({ hasText: 'unsaved changes' }).waitFor();
    expect(await savedNodeIds(workflowId)).toEqual(['start', 'set_1']);
  });

  it('is saved again once undo returns to the saved state', async () => {
    const { page } = session.harness;
    await openNewWorkflow(false);
    await dragFromPalette(page, 'set', { x: 450, y: 250 });
    await draftState().filter({ hasText: 'unsaved changes' }).waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await draftState().filter({ hasText: /^saved/ }).waitFor();
    await page.getByRole('button', { name: 'Redo' }).click();
    await draftState().filter({ hasText: 'unsaved changes' }).waitFor();
  });

  it('asks before leaving unsaved changes in the app, and stays when told to', async () => {
    const { page } = session.harness;
    const workflowId = await openNewWorkflow(false);
    await dragFromPalette(page, 'set', { x: 450, y: 250 });
    await draftState().filter({ hasText: 'unsaved changes' }).waitFor();

    const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.message()))));
    await page.getByRole('link', { name: 'History' }).click();
    await expect(asked).resolves.toContain('unsaved changes');
    expect(new URL(page.url()).pathname).toBe(`/workflows/${workflowId}`);
    await page.getByTestId('node-set_1').waitFor();

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('link', { name: 'History' }).click();
    await page.waitForURL(`**/workflows/${workflowId}/versions`);
    expect(await savedNodeIds(workflowId)).toEqual(['start']);
  });

  it('asks before the tab closes on unsaved changes', async () => {
    // A second tab of the same browser session, which this test closes.
    const context = await session.harness.browser.newContext({ storageState: await session.harness.page.context().storageState(), viewport: { width: 1400, height: 900 } });
    const tab = await context.newPage();
    await tab.bringToFront();
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `close ${Date.now()}` } });
    await tab.goto(`${session.harness.api.url}/workflows/${created.body.id}`);
    await tab.getByTestId('palette').waitFor();
    await setAutosave(tab, false);
    await dragFromPalette(tab, 'set', { x: 450, y: 250 });
    await tab.getByTestId('node-set_1').waitFor();
    await tab.getByTestId('draft-state').filter({ hasText: 'unsaved changes' }).waitFor();

    const asked = new Promise<string>((resolve) => tab.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.type()))));
    await tab.close({ runBeforeUnload: true });
    await expect(asked).resolves.toBe('beforeunload');
    expect(tab.isClosed()).toBe(false);
    await tab.getByTestId('node-set_1').waitFor();
    await context.close();
    expect(session.harness.pageErrors).toEqual([]);
  });
});
