// The supervisor console in a real Chromium against a real appliance: the live queue board
// follows a waiting customer and an agent's presence, charts say their numbers to screen
// readers, conversation search filters and opens transcripts, and only managers get in.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

const WAIT = { timeout: 20_000 };
const SUPERVISOR = { username: 'supervisor-user', password: 'supervisor password 123' };

let t: TestAppliance;
let browser: Browser;
let context: BrowserContext;
let waitingId: string;
let answeredId: string;

async function customerSays(texts: string[], language: 'zh' | 'en'): Promise<string> {
  const started = await t.request('/v1/conversations', { method: 'POST', token: t.tokens.kiosk, json: { language } });
  const id = ((await started.json()) as { conversation: { id: string } }).conversation.id;
  for (const text of texts) {
    const res = await t.request(`/v1/conversations/${id}/messages`, { method: 'POST', token: t.tokens.kiosk, json: { text } });
    expect(res.status).toBe(200);
  }
  return id;
}

beforeAll(async () => {
  const { buildWeb } = (await import('../../scripts/build.mjs' as string)) as { buildWeb: (o?: { minify?: boolean }) => Promise<void> };
  await buildWeb();
  t = await startTestAppliance();
  // A lost card routes to the cards queue: give the agent that topic so they can be offered it.
  const agents = (await (await t.request('/v1/agents', { token: t.tokens.admin })).json()) as { items: { accountId: string }[] };
  await t.request(`/v1/agents/${agents.items[0]!.accountId}/profile`, { method: 'PUT', token: t.tokens.admin, json: { topics: ['cards'] } });
  // One customer the bot answered, one waiting for a person.
  answeredId = await customerSays(['What are your opening hours?'], 'en');
  waitingId = await customerSays(['我的卡丢了', '我要转人工'], 'zh');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.close();
});

async function openConsole(who = SUPERVISOR): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('supervisor page error:', err));
  await page.goto(`${t.url}/supervisor/`);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.getByTestId('login-username').fill(who.username);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  return page;
}

describe('supervisor console', () => {
  it('shows the waiting customer on the live board and the agent changing state', async () => {
    const page = await openConsole();
    const waitingCards = page.locator('[data-testid="queue-card"]').filter({ has: page.locator('[data-testid="queue-waiting"]', { hasText: /^1$/ }) });
    await expect.poll(() => waitingCards.count(), WAIT).toBe(1);
    // The longest wait ticks on with each poll.
    const longest = waitingCards.getByTestId('queue-longest');
    const first = await longest.textContent();
    expect(first).toMatch(/^\d+:\d\d$/);
    await expect.poll(() => longest.textContent(), WAIT).not.toBe(first);
    expect(await page.getByTestId('board-summary').textContent()).toMatch(/^1 waiting/);
    // The service level ring explains itself.
    expect(await waitingCards.locator('.chart-ring desc').textContent()).toMatch(/Answered within/);

    // An agent signs in and becomes available: the board follows within a poll or two.
    const offline = page.locator('[data-testid="agent-row"][data-presence="offline"]', { hasText: 'agent-user' });
    expect(await offline.count()).toBe(1);
    const agentPage = await context.newPage();
    await agentPage.goto(`${t.url}/agent/`);
    await agentPage.getByTestId('login-username').fill('agent-user');
    await agentPage.getByTestId('login-password').fill('agent password 123');
    await agentPage.getByTestId('login-submit').click();
    await expect.poll(() => agentPage.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('open');
    await agentPage.getByTestId('presence-available').click();
    // Offered the waiting customer, and takes it.
    await expect.poll(() => agentPage.getByTestId('offer').count(), WAIT).toBe(1);
    await agentPage.getByTestId('offer-accept').click();
    const busyRow = page.locator('[data-testid="agent-row"]', { hasText: 'agent-user' });
    await expect.poll(() => busyRow.getAttribute('data-presence'), WAIT).not.toBe('offline');
    await expect.poll(() => page.getByTestId('board-summary').textContent(), WAIT).toMatch(/^0 waiting/);
    await expect.poll(() => busyRow.locator('.slot[data-used]').count(), WAIT).toBe(1);
    expect(await page.getByTestId('agents-by-state').locator('desc').textContent()).toMatch(/Available: 1|Busy: 1/);
    await page.screenshot({ path: '/tmp/supervisor-live.png' });
    await agentPage.close();
  });

  it('charts the period: resolution donut, handoff reasons and CSAT, each described in words', async () => {
    const page = await openConsole();
    await page.getByTestId('tab-performance').click();
    await expect.poll(() => page.getByTestId('kpis').getByTestId('kpi-conversations').textContent(), WAIT).toContain('2');
    const descs = await page.locator('[data-testid="stats"] svg[role="img"]').evaluateAll((svgs) =>
      svgs.map((s) => {
        const ids = (s.getAttribute('aria-labelledby') ?? '').split(' ');
        return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' | ');
      }),
    );
    expect(descs.length).toBeGreaterThanOrEqual(3);
    expect(descs.every((d) => /\S \| \S/.test(d))).toBe(true);
    expect(descs.join('\n')).toContain('Handed to an agent: 1');
    expect(await page.getByTestId('chart-handoff-reasons').locator('desc').textContent()).toMatch(/: 1 \(100%\)\.$/);
    expect(await page.getByTestId('csat-count').textContent()).toBe('0 ratings');
    await page.screenshot({ path: '/tmp/supervisor-performance-2.png', fullPage: true });
  });

  it('searches conversations by status and text and opens a transcript', async () => {
    const page = await openConsole();
    await page.getByTestId('tab-conversations').click();
    await expect.poll(() => page.getByTestId('search-row').count(), WAIT).toBe(2);
    const rows = () => page.getByTestId('search-row').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.conversationId));
    await page.getByTestId('search-input').fill('opening hours');
    await expect.poll(rows, WAIT).toEqual([answeredId]);
    await page.getByTestId('search-input').fill('');
    await page.getByTestId('search-status').selectOption('with_agent');
    await expect.poll(rows, WAIT).toEqual([waitingId]);
    await page.getByTestId('search-row').click();
    const transcript = page.getByTestId('detail-transcript');
    await expect.poll(() => transcript.locator('[data-speaker="customer"]').allTextContents(), WAIT).toEqual([expect.stringContaining('我的卡丢了'), expect.stringContaining('我要转人工')]);
    expect(await page.getByTestId('transcript-view').textContent()).toContain('Customer request');
  });

  it('lets only supervisors and admins in', async () => {
    const page = await openConsole({ username: 'agent-user', password: 'agent password 123' });
    await expect.poll(() => page.getByTestId('login-error').textContent(), WAIT).toContain('cannot open the supervisor console');
    expect(await page.getByTestId('console').isVisible()).toBe(false);
    await page.getByTestId('login-username').fill('supervisor-user');
    await page.getByTestId('login-password').fill('wrong password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent(), WAIT).toBe('That username and password do not match.');
  });
});
