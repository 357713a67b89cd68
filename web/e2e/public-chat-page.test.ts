import type { Browser, Page } from 'playwright-core';
import type { ChatEndpointDto } from '../../contract/public-chat';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { serveOnLoopback, type LoopbackServer } from '../../test/loopback-server';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { quietRuntime } from '../../test/temporal-harness';
import { HARNESS_START_MS } from './canvas-harness';
import { launchChromium } from './chromium';

/**
 * The public chat page in a real browser, under its own strict policy: it talks to the published workflow and shows
 * the answer, on its own and inside the bubble a site adds with /chat-widget.js (from another origin that the chat
 * allows). Nothing the page does may be blocked by its policy.
 */
describe('public chat page and widget', () => {
  let api: ApiHarness;
  let provider: OpenAiCompatibleServer;
  let site: LoopbackServer;
  let browser: Browser;
  let owner: TestAccount;
  let endpoint: ChatEndpointDto;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    quietRuntime('ERROR');
    [api, provider, browser] = await Promise.all([createApiHarness(), startOpenAiCompatibleServer({ apiKey: 'sk-page' }), launchChromium()]);
    // A site on another origin that embeds the chat with the widget script.
    site = await serveOnLoopback((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>Shop</title><h1>Shop</h1><script src="${api.url}/chat-widget.js" data-chat-id="${endpoint.id}" data-label="Ask us"></script>`);
    });
    owner = await api.signUp('chat-page');
    const credential = await api.request<{ id: string }>('POST', '/api/v1/credentials', { token: owner.token, body: { name: 'Model', kind: 'openai', data: { apiKey: 'sk-page', baseUrl: provider.baseUrl } } });
    const graph = {
      nodes: [
        node('chat', 'chat-trigger', { authMode: 'none', allowedOrigins: [site.url] }),
        node('llm', 'llm-chat', { credentialId: credential.body.id, model: 'local-model', prompt: '{{ input.message }}' }),
        node('end', 'end', { value: { answer: '{{ nodes.llm.output.text }}' } }),
      ],
      edges: [edge('chat', 'llm'), edge('llm', 'end')],
    };
    const workflow = await api.request<{ id: string }>('POST', '/api/v1/workflows', { token: owner.token, body: { name: 'Shop assistant', graph } });
    await api.request('POST', `/api/v1/workflows/${workflow.body.id}/versions`, { token: owner.token, body: {} });
    endpoint = (await api.request<{ items: ChatEndpointDto[] }>('GET', `/api/v1/workflows/${workflow.body.id}/chat/endpoints`, { token: owner.token })).body.items[0];
  }, HARNESS_START_MS);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([api?.close(), provider?.close(), site?.close()]);
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused/i.test(message.text())) pageErrors.push(message.text());
    });
    return page;
  }

  it('answers a message on the page itself, and keeps the conversation across a reload', async () => {
    const page = await newPage();
    await page.goto(`${api.url}${endpoint.pagePath}`);
    provider.enqueueChat({ content: 'We ship within two days.' });
    await page.getByRole('textbox', { name: 'Message' }).fill('How fast do you ship?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.message.assistant', { hasText: 'We ship within two days.' }).waitFor();
    await page.reload();
    await page.locator('.message.user', { hasText: 'How fast do you ship?' }).waitFor();
    await page.locator('.message.assistant', { hasText: 'We ship within two days.' }).waitFor();
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it("the widget's bubble opens the chat in an iframe on an allowed site, and it answers there", async () => {
    const page = await newPage();
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Ask us' }).click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    provider.enqueueChat({ content: 'Returns are free for 30 days.' });
    await chat.getByRole('textbox', { name: 'Message' }).fill('Can I return things?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.locator('.message.assistant', { hasText: 'Returns are free for 30 days.' }).waitFor();
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
