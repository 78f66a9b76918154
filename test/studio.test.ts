import os from 'node:os';
import path from 'node:path';

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import type { JourneyDefinitionInput as JourneyDefinition } from '@junction/core';

import { launchChromium, serve, type RunningServer } from './browser.js';
import { eventually, ROOT, startStack, type TestStack } from './harness.js';

const WELCOME: JourneyDefinition = {
  nodes: [
    { id: 'start', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } },
    { id: 'wait', type: 'delay', duration: { amount: 5, unit: 'minutes' } },
    {
      id: 'crm',
      type: 'webhook',
      label: 'Tell the CRM',
      url: 'https://hooks.example.com/crm/contacts',
      method: 'POST',
    },
    { id: 'done', type: 'exit' },
  ],
  edges: [
    { id: 'start-wait', source: 'start', target: 'wait' },
    { id: 'wait-crm', source: 'wait', target: 'crm' },
    { id: 'crm-done', source: 'crm', target: 'done' },
  ],
};

/** Saved after publishing, so a canvas showing delay and webhook nodes is the live version. */
const WELCOME_NEXT_DRAFT: JourneyDefinition = {
  nodes: [WELCOME.nodes[0]!, { id: 'done', type: 'exit' }],
  edges: [{ id: 'start-done', source: 'start', target: 'done' }],
};

const WIN_BACK: JourneyDefinition = {
  nodes: [
    { id: 'start', type: 'entry', trigger: { kind: 'event', event: 'Subscription Cancelled' } },
    { id: 'done', type: 'exit' },
  ],
  edges: [{ id: 'start-done', source: 'start', target: 'done' }],
};

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const contains = (outer: Box, inner: Box): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the studio in a real browser', () => {
  let stack: TestStack;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: Error[];
  let welcomeId: string;
  let winBackId: string;

  async function callApi(method: string, route: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${stack.workspace.apiKey}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  async function createJourney(name: string, draft: JourneyDefinition): Promise<string> {
    const created = (await callApi('POST', '/v1/journeys', { name, draft })) as {
      journey: { id: string };
    };
    return created.journey.id;
  }

  async function openStudio(apiKey: string): Promise<void> {
    await page.goto(`${server.url}/studio/#apiKey=${encodeURIComponent(apiKey)}`);
  }

  const journeyRow = (journeyId: string): Locator =>
    page.locator(`[data-testid="journey-row"][data-journey-id="${journeyId}"]`);

  beforeAll(async () => {
    stack = await startStack();
    const app = stack.appWith({ studioDist: path.join(ROOT, 'studio/dist') });
    server = await serve(app);
    browser = await launchChromium();

    welcomeId = await createJourney('Welcome series', WELCOME);
    await callApi('POST', `/v1/journeys/${welcomeId}/publish`, { notes: 'First version' });
    await callApi('PUT', `/v1/journeys/${welcomeId}/draft`, { draft: WELCOME_NEXT_DRAFT });
    winBackId = await createJourney('Win-back', WIN_BACK);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stack?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error));
  });

  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it("signs in with an API key and lists the workspace's journeys", async () => {
    await openStudio(stack.workspace.apiKey);
    await page.getByTestId('journeys-table').waitFor();

    expect(page.url()).not.toContain('apiKey');
    expect(await page.getByTestId('journey-row').count()).toBe(2);
    const welcomeCells = await journeyRow(welcomeId).locator('td').allTextContents();
    expect(welcomeCells.slice(0, 3)).toEqual(['Welcome series', 'live', 'v1']);
    const winBackCells = await journeyRow(winBackId).locator('td').allTextContents();
    expect(winBackCells.slice(0, 3)).toEqual(['Win-back', 'draft', '—']);
  });

  it("draws a published journey's graph with one node per step", async () => {
    await openStudio(stack.workspace.apiKey);
    await journeyRow(welcomeId).click();
    const canvas = page.getByTestId('journey-canvas');
    await canvas.waitFor();

    expect(new URL(page.url()).hash).toBe(`#/journeys/${welcomeId}`);
    for (const type of ['entry', 'delay', 'webhook', 'exit']) {
      await canvas.getByTestId(`node-${type}`).waitFor();
    }
    expect(await canvas.locator('.react-flow__node').count()).toBe(WELCOME.nodes.length);
    expect(await canvas.getByTestId('node-entry').textContent()).toContain('Signed Up');
    expect(await canvas.getByTestId('node-delay').textContent()).toContain('Wait 5 minutes');
    const webhook = await canvas.getByTestId('node-webhook').textContent();
    expect(webhook).toContain('Tell the CRM');
    expect(webhook).toContain('POST hooks.example.com');
    expect(await page.getByTestId('version-picker').inputValue()).toBe('1');

    // A straight vertical edge has a zero-width box, which Playwright would call hidden.
    const edges = canvas.locator('.react-flow__edge');
    await edges.nth(WELCOME.edges.length - 1).waitFor({ state: 'attached' });
    expect(await edges.count()).toBe(WELCOME.edges.length);
    for (const edge of await edges.all()) {
      const id = await edge.getAttribute('data-id');
      expect(WELCOME.edges.map((e) => e.id)).toContain(id);
      expect(await edge.locator('.react-flow__edge-path').getAttribute('d')).toMatch(/^M[\d.-]+,/);
    }
    const miniNodes = canvas.locator('.react-flow__minimap-node');
    await miniNodes.nth(WELCOME.nodes.length - 1).waitFor();
    expect(await miniNodes.count()).toBe(WELCOME.nodes.length);

    // fitView settles after the nodes are measured; wait until every node sits inside the pane.
    const pane = canvas.getByTestId('rf__wrapper');
    const nodeBoxes = await eventually(
      async () => {
        const frame = await pane.boundingBox();
        const boxes = await Promise.all(
          (await canvas.locator('.react-flow__node').all()).map((node) => node.boundingBox()),
        );
        const placed = boxes.filter((box): box is Box => box !== null);
        const settled =
          frame !== null &&
          placed.length === WELCOME.nodes.length &&
          placed.every((box) => contains(frame, box));
        return settled && placed;
      },
      10_000,
      'every node to sit inside the React Flow pane',
    );
    for (const [index, box] of nodeBoxes.entries()) {
      for (const other of nodeBoxes.slice(index + 1)) expect(overlaps(box, other)).toBe(false);
    }

    await page.screenshot({
      path: path.join(process.env.JUNCTION_TEST_DIR ?? os.tmpdir(), 'studio-journey.png'),
    });
  });

  it('sends people back to sign in when the key is refused', async () => {
    await openStudio('jk_not_a_real_key');
    const notice = page.getByTestId('sign-in-notice');
    await notice.waitFor();

    expect(await notice.textContent()).toContain('not accepted');
    expect(await page.getByTestId('api-key-input').isVisible()).toBe(true);
    expect(await page.getByTestId('sign-out').count()).toBe(0);

    // The refused key is forgotten: a reload shows a plain sign-in, not another refusal.
    await page.reload();
    await page.getByTestId('api-key-input').waitFor();
    expect(await page.getByTestId('sign-in-notice').count()).toBe(0);
  });
});
