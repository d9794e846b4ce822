// The agent desktop in a real Chromium against a real appliance, with the kiosk page as the
// customer: the Chinese handoff end to end (offer, package, reply, resolve, rating, and the
// supervisor console showing it), declining an offer, surviving a reload and a dropped
// socket, and transfer / hand back as the customer sees them.
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

const CJK = /[\u4e00-\u9fff]/;
const WAIT = { timeout: 20_000 };
const AGENT = { username: 'agent-user', password: 'agent password 123' };
const SUPERVISOR = { username: 'supervisor-user', password: 'supervisor password 123' };

let t: TestAppliance;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // The appliance serves dist/web as it was when it started, so build the pages first.
  const { buildWeb } = (await import('../../scripts/build.mjs' as string)) as { buildWeb: (o?: { minify?: boolean }) => Promise<void> };
  await buildWeb();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  });
});

// A fresh appliance per test: no conversation left waiting by one test is offered in the next.
beforeEach(async () => {
  t = await startTestAppliance();
  // The agent speaks Chinese only: the zh handoff must still reach them.
  const agents = (await (await t.request('/v1/agents', { token: t.tokens.admin })).json()) as { items: { accountId: string; name: string }[] };
  const agent = agents.items.find((a) => a.name === AGENT.username)!;
  const res = await t.request(`/v1/agents/${agent.accountId}/profile`, { method: 'PUT', token: t.tokens.admin, json: { languages: ['zh'], chatCapacity: 3 } });
  expect(res.status).toBe(200);
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await t?.close();
});

afterAll(async () => {
  await browser?.close();
});

async function newPage(path: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`page error on ${path}:`, err));
  await page.goto(`${t.url}${path}`);
  return page;
}

async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.getByTestId('login-username').fill(who.username);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await expect.poll(() => page.getByTestId('login').count(), WAIT).toBe(0);
}

/** An agent signed in on the desktop and available. */
async function openAgentDesktop(): Promise<Page> {
  const page = await newPage('/agent/');
  await signIn(page, AGENT);
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('open');
  await page.getByTestId('presence-available').click();
  await expect.poll(() => page.getByTestId('presence-available').getAttribute('aria-checked'), WAIT).toBe('true');
  return page;
}

const kioskTurns = (page: Page, speaker: 'customer' | 'bot' | 'agent') => page.locator(`[data-testid="turn"][data-speaker="${speaker}"]:not([data-pending])`);

/** A customer on the kiosk in Chinese who leaves a phone number and asks for a person. */
async function customerAsksForPerson(): Promise<{ kiosk: Page; conversationId: string }> {
  const kiosk = await newPage('/', { width: 1280, height: 900 });
  await kiosk.getByTestId('lang-zh').click();
  await kiosk.getByTestId('welcome-start').click();
  await expect.poll(() => kioskTurns(kiosk, 'bot').count(), WAIT).toBeGreaterThan(0);
  await say(kiosk, '我的手机号是13812345678');
  await say(kiosk, '我要转人工');
  await expect.poll(() => kiosk.getByTestId('status-banner').textContent(), WAIT).toContain('正在为您转接人工客服');
  const conversationId = await kiosk.evaluate(() => JSON.parse(sessionStorage.getItem('switchboard.kiosk.conversation') ?? '{}').conversationId as string);
  expect(conversationId).toBeTruthy();
  return { kiosk, conversationId };
}

async function say(kiosk: Page, text: string): Promise<void> {
  const before = await kioskTurns(kiosk, 'customer').count();
  await kiosk.getByTestId('message-input').fill(text);
  await kiosk.getByTestId('message-input').press('Enter');
  await expect.poll(() => kioskTurns(kiosk, 'customer').count(), WAIT).toBe(before + 1);
  await expect.poll(() => kiosk.getByTestId('typing').count(), WAIT).toBe(0);
}

async function acceptOffer(desk: Page, conversationId: string): Promise<void> {
  const offer = desk.locator(`[data-testid="offer"][data-conversation-id="${conversationId}"]`);
  await expect.poll(() => offer.count(), WAIT).toBe(1);
  await offer.getByTestId('offer-accept').click();
  await expect.poll(() => desk.getByTestId('offer').count(), WAIT).toBe(0);
  await expect.poll(() => desk.getByTestId('conversation').isVisible(), WAIT).toBe(true);
}

describe('agent desktop', () => {
  it('takes a Chinese kiosk customer from offer to resolution, the customer rates it and the supervisor sees it', async () => {
    const desk = await openAgentDesktop();
    const { kiosk, conversationId } = await customerAsksForPerson();

    // The offer arrives with the handoff package at a glance, a countdown and a blinking title.
    const offer = desk.locator(`[data-testid="offer"][data-conversation-id="${conversationId}"]`);
    await expect.poll(() => offer.count(), WAIT).toBe(1);
    expect(await offer.getByTestId('pkg-language').textContent()).toBe('Chinese');
    expect(await offer.getByTestId('offer-countdown').textContent()).toMatch(/^0:\d\d$/);
    await expect.poll(() => desk.title(), WAIT).toMatch(/^● New chat/);
    // The customer hears where they stand.
    await expect.poll(() => kiosk.getByTestId('status-banner').textContent(), WAIT).toMatch(/排在第 1 位/);
    await desk.screenshot({ path: '/tmp/agent-offer.png' });

    await acceptOffer(desk, conversationId);
    expect(await desk.title()).not.toMatch(/^●/);
    // The whole story so far: transcript with the customer's words, entities, intents, reason.
    const transcript = desk.getByTestId('conversation-transcript');
    await expect.poll(() => transcript.locator('[data-speaker="customer"]').allTextContents(), WAIT).toEqual([
      expect.stringContaining('我的手机号是13812345678'),
      expect.stringContaining('我要转人工'),
    ]);
    expect(await transcript.locator('[data-speaker="bot"]').count()).toBeGreaterThan(0);
    const entities = await desk.getByTestId('pkg-entity').allTextContents();
    expect(entities.join(' ')).toContain('13812345678');
    expect(await desk.getByTestId('pkg-intent').count()).toBeGreaterThan(0);
    expect(await desk.getByTestId('pkg-reason').first().textContent()).toBeTruthy();

    // The customer is told who joined.
    await expect.poll(() => kiosk.getByTestId('status-banner').textContent(), WAIT).toContain('人工客服agent-user已接入');

    // The customer asks something; the agent gets it live with knowledge suggestions.
    await say(kiosk, '我的卡丢了怎么办');
    await expect.poll(() => transcript.locator('[data-speaker="customer"]').count(), WAIT).toBe(3);
    await expect.poll(() => desk.getByTestId('kb-suggestion').count(), WAIT).toBeGreaterThan(0);
    await desk.getByTestId('kb-insert').first().click();
    expect(await desk.getByTestId('reply-input').inputValue()).toMatch(CJK);
    await desk.screenshot({ path: '/tmp/agent-desktop.png' });

    // The agent replies; the customer sees it, named and styled as an agent.
    await desk.getByTestId('reply-input').fill('您好，我是客服小李，已为您冻结卡片。');
    await desk.getByTestId('reply-input').press('Enter');
    await expect.poll(() => kioskTurns(kiosk, 'agent').count(), WAIT).toBe(1);
    expect(await kioskTurns(kiosk, 'agent').first().textContent()).toContain('已为您冻结卡片');
    expect(await kioskTurns(kiosk, 'agent').first().locator('.speaker').textContent()).toContain('agent-user');
    await expect.poll(() => transcript.locator('[data-speaker="agent"]:not([data-pending])').count(), WAIT).toBe(1);

    // Resolve with a disposition and notes.
    await desk.getByTestId('resolve').click();
    await desk.getByTestId('disposition-resolved').check();
    await desk.getByTestId('resolve-notes').fill('Card frozen at customer request.');
    await desk.getByTestId('resolve-confirm').click();
    await expect.poll(() => desk.getByTestId('conversation-item').count(), WAIT).toBe(0);
    expect(await desk.getByTestId('workspace-empty').isVisible()).toBe(true);

    // The customer is asked for a rating and gives one.
    await expect.poll(() => kiosk.getByTestId('csat').isVisible(), WAIT).toBe(true);
    expect(await kiosk.getByTestId('csat').textContent()).toContain('您对本次服务满意吗');
    await kiosk.getByTestId('csat-star-4').click();
    await kiosk.getByTestId('csat-comment').fill('很快，谢谢');
    await kiosk.screenshot({ path: '/tmp/kiosk-csat.png' });
    await kiosk.getByTestId('csat-submit').click();
    await expect.poll(() => kiosk.getByTestId('csat-thanks').isVisible(), WAIT).toBe(true);
    expect(await kiosk.getByTestId('csat-thanks').textContent()).toBe('感谢您的评价！');
    const stored = t.app.conversations.get(conversationId).conversation;
    expect(stored.csat).toBe(4);

    // The supervisor console shows the rating and finds the conversation.
    const sup = await newPage('/supervisor/');
    await signIn(sup, SUPERVISOR);
    await sup.getByTestId('tab-performance').click();
    await expect.poll(() => sup.getByTestId('csat-count').textContent(), WAIT).toBe('1 rating');
    expect(await sup.getByTestId('csat-average').textContent()).toBe('4.0');
    expect(await sup.getByTestId('kpis').getByTestId('kpi-handoffs').textContent()).toContain('1');
    expect(await sup.getByTestId('chart-handoff-reasons').locator('svg title').textContent()).toBe('Handoff reasons');
    await sup.screenshot({ path: '/tmp/supervisor-performance.png', fullPage: true });
    await sup.getByTestId('tab-conversations').click();
    await sup.getByTestId('search-input').fill('冻结卡片');
    await expect.poll(() => sup.getByTestId('search-row').count(), WAIT).toBe(1);
    expect(await sup.getByTestId('search-row').getAttribute('data-conversation-id')).toBe(conversationId);
    await sup.getByTestId('search-row').click();
    await expect.poll(() => sup.getByTestId('detail-transcript').locator('[data-speaker="agent"]').count(), WAIT).toBe(1);
    expect(await sup.getByTestId('detail-csat').textContent()).toContain('4/5');
    await sup.screenshot({ path: '/tmp/supervisor-conversations.png' });
  });

  it('declines an offer: the card goes, the decline is recorded and the customer keeps waiting', async () => {
    const desk = await openAgentDesktop();
    const { kiosk, conversationId } = await customerAsksForPerson();
    const offer = desk.locator(`[data-testid="offer"][data-conversation-id="${conversationId}"]`);
    await expect.poll(() => offer.count(), WAIT).toBe(1);
    await offer.getByTestId('offer-decline').click();
    await expect.poll(() => offer.count(), WAIT).toBe(0);
    await expect.poll(() => desk.title(), WAIT).toBe('Agent desktop — Switchboard');
    // The desk drops the card as soon as it sends the decline; the server records it when the
    // message arrives, so wait for the record rather than read it once.
    const declined = (): number =>
      (t.app.db.prepare(`SELECT count(*) AS n FROM domain_events WHERE type = 'handoff.offer_declined' AND aggregate_id = ?`).get(conversationId) as { n: number }).n;
    await expect.poll(declined, WAIT).toBe(1);
    expect(await desk.getByTestId('conversation-item').count()).toBe(0);
    expect(await kiosk.getByTestId('status-banner').textContent()).toContain('正在为您转接人工客服');
    expect(t.app.conversations.get(conversationId).conversation.status).toBe('awaiting_agent');
  });

  it('knows how long the customer waited after a reload, before anyone has replied', async () => {
    const desk = await openAgentDesktop();
    const { conversationId } = await customerAsksForPerson();
    await acceptOffer(desk, conversationId);
    const waited = desk.getByTestId('conversation-header').getByTestId('pkg-waited');
    await expect.poll(() => waited.textContent(), WAIT).toMatch(/^Waited /);
    await desk.reload();
    await expect.poll(() => desk.getByTestId('conversation-item').count(), WAIT).toBe(1);
    // from the package's assignedAt (the server's accept time), though no agent has written yet
    await expect.poll(() => waited.textContent(), WAIT).toMatch(/^Waited /);
  });

  it('gets its conversations back after a reload and after a dropped socket', async () => {
    const desk = await openAgentDesktop();
    const sockets: WebSocketRoute[] = [];
    await desk.routeWebSocket(/\/v1\/agent$/, (ws) => {
      sockets.push(ws);
      ws.connectToServer();
    });
    // The route applies to sockets opened from now on: reload so the desktop's socket goes through it.
    await desk.reload();
    await expect.poll(() => desk.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('open');
    expect(await desk.getByTestId('login').count()).toBe(0);
    await desk.getByTestId('presence-available').click();
    const { kiosk, conversationId } = await customerAsksForPerson();
    await acceptOffer(desk, conversationId);
    await desk.getByTestId('reply-input').fill('请稍等');
    await desk.getByTestId('reply-input').press('Enter');
    await expect.poll(() => kioskTurns(kiosk, 'agent').count(), WAIT).toBe(1);
    const transcriptText = () => desk.getByTestId('conversation-transcript').locator('[data-testid="turn"]').allTextContents();
    const before = await transcriptText();

    // 1. The line drops: the desktop reconnects by itself and shows the same conversation.
    const n = sockets.length;
    await sockets.at(-1)!.close({ code: 4000, reason: 'test drop' });
    await expect.poll(() => desk.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('retrying');
    await expect.poll(() => sockets.length, WAIT).toBe(n + 1);
    await expect.poll(() => desk.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('open');
    expect(await transcriptText()).toEqual(before);

    // 2. A reload: still signed in, the welcome restores the conversation and its transcript.
    await desk.reload();
    await expect.poll(() => desk.getByTestId('conversation-item').count(), WAIT).toBe(1);
    expect(await desk.getByTestId('conversation-item').getAttribute('data-conversation-id')).toBe(conversationId);
    await expect.poll(transcriptText, WAIT).toEqual(before);
    expect(await desk.getByTestId('presence-available').getAttribute('aria-checked')).toBe('true');

    // Still working: a customer message arrives live after both.
    await say(kiosk, '好的');
    await expect.poll(() => desk.getByTestId('conversation-transcript').locator('[data-speaker="customer"]').last().textContent(), WAIT).toContain('好的');

    // Who wrote which agent turn survives a reload: this agent's own say "You", a colleague's
    // (as after a transfer) their name — on the desktop and on the customer's reloaded kiosk.
    const me = (t.app.conversations.get(conversationId).turns.find((x) => x.speaker === 'agent')?.author ?? '') as string;
    expect(me).not.toBe('');
    t.app.conversations.addAgentTurn(conversationId, { subject: 'account:colleague', name: 'Wang Wei' }, { text: '我来补充一下' });
    await desk.reload();
    const deskAuthors = () => desk.getByTestId('conversation-transcript').locator('[data-speaker="agent"] .who').allTextContents();
    await expect.poll(deskAuthors, WAIT).toEqual(['You', 'Agent · Wang Wei']);
    await kiosk.reload();
    await expect.poll(() => kioskTurns(kiosk, 'agent').locator('.speaker').allTextContents(), WAIT).toEqual([expect.stringContaining(me), expect.stringContaining('Wang Wei')]);
  });

  it('transfers to another queue and hands back to the bot, and the customer sees both', async () => {
    // Cards skills too, so the agent can take the conversation again after the transfer.
    const agents = (await (await t.request('/v1/agents', { token: t.tokens.admin })).json()) as { items: { accountId: string }[] };
    await t.request(`/v1/agents/${agents.items[0]!.accountId}/profile`, { method: 'PUT', token: t.tokens.admin, json: { topics: ['cards'] } });
    const desk = await openAgentDesktop();
    const { kiosk, conversationId } = await customerAsksForPerson();
    await acceptOffer(desk, conversationId);
    await expect.poll(() => kiosk.getByTestId('status-banner').textContent(), WAIT).toContain('已接入');
    const queueBefore = t.app.db.prepare(`SELECT queue_id FROM handoffs WHERE conversation_id = ?`).get(conversationId) as { queue_id: string };

    // Transfer: the conversation leaves this desk and the customer is waiting again.
    await desk.getByTestId('transfer').click();
    const options = await desk.getByTestId('transfer-queue').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).not.toContain(queueBefore.queue_id);
    const target = options[0]!;
    await desk.getByTestId('transfer-queue').selectOption(target);
    await desk.getByTestId('transfer-confirm').click();
    await expect.poll(() => kiosk.getByTestId('status-banner').textContent(), WAIT).toContain('正在为您转接人工客服');
    const queueAfter = t.app.db.prepare(`SELECT queue_id FROM handoffs WHERE conversation_id = ?`).get(conversationId) as { queue_id: string };
    expect(queueAfter.queue_id).toBe(target);
    await expect.poll(() => desk.getByTestId('toast').allTextContents(), WAIT).toContainEqual(expect.stringContaining('transferred'));

    // The same agent (the only one with Chinese) is offered it again in the new queue, takes it, and hands back.
    await acceptOffer(desk, conversationId);
    await desk.getByTestId('hand-back').click();
    await desk.getByTestId('hand-back-confirm').click();
    await expect.poll(() => desk.getByTestId('conversation-item').count(), WAIT).toBe(0);
    await expect.poll(() => kiosk.getByTestId('status-banner').textContent(), WAIT).toContain('您已回到智能助手服务');
    expect(t.app.conversations.get(conversationId).conversation.status).toBe('active');
    // The bot answers again.
    const bots = await kioskTurns(kiosk, 'bot').count();
    await say(kiosk, '营业时间');
    await expect.poll(() => kioskTurns(kiosk, 'bot').count(), WAIT).toBeGreaterThan(bots);
  });

  it('refuses a supervisor account and says why', async () => {
    const page = await newPage('/agent/');
    await page.getByTestId('login-username').fill(SUPERVISOR.username);
    await page.getByTestId('login-password').fill(SUPERVISOR.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent(), WAIT).toContain('cannot open the agent desktop');
    expect(await page.getByTestId('desk').isVisible()).toBe(false);
  });
});
