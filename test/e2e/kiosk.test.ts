// The kiosk chat page in a real Chromium against a real appliance: what a customer at the
// branch screen sees in English and Chinese, the handoff banner, place in line, the agent's
// messages and the rating prompt, surviving a dropped connection and a reload, and the
// inactivity wipe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type Appliance } from '../../src/appliance/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/ops/index.ts';

const CJK = /[\u4e00-\u9fff]/;
const WAIT = { timeout: 15_000 };

let app: Appliance;
let browser: Browser;
let dataDir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // The appliance serves dist/web as it was when it started, so build the page first.
  const { buildWeb } = (await import('../../scripts/build.mjs' as string)) as { buildWeb: (o?: { minify?: boolean }) => Promise<void> };
  await buildWeb();
  dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  app = await startAppliance(parseConfig({ host: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', speech: { enabled: false } }), { logger: silentLogger });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openKiosk(query = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${app.url}/${query}`);
  return page;
}

const turns = (page: Page, speaker: 'customer' | 'bot') => page.locator(`[data-testid="turn"][data-speaker="${speaker}"]:not([data-pending])`);

/** Starts a conversation and waits for the greeting. */
async function start(page: Page): Promise<void> {
  await page.getByTestId('welcome-start').click();
  await expect.poll(() => turns(page, 'bot').count(), WAIT).toBeGreaterThan(0);
}

/** Types and sends a message, then waits for its echo and at least one reply after it. */
async function ask(page: Page, text: string): Promise<string> {
  const botsBefore = await turns(page, 'bot').count();
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('message-input').press('Enter');
  await expect.poll(() => turns(page, 'customer').last().textContent(), WAIT).toContain(text);
  await expect.poll(() => turns(page, 'bot').count(), WAIT).toBeGreaterThan(botsBefore);
  await expect.poll(() => page.getByTestId('typing').count(), WAIT).toBe(0);
  return (await turns(page, 'bot').last().locator('.bubble').textContent()) ?? '';
}

describe('kiosk chat page', () => {
  it('answers an English question with a cited source', async () => {
    const page = await openKiosk();
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('welcome-start').textContent()).toBe('Start');
    await start(page);
    // Speech is off on this appliance: no talk button that could only say "unavailable".
    expect(await page.getByTestId('talk-button').isHidden()).toBe(true);

    expect(await page.getByTestId('send').isDisabled()).toBe(true);
    await page.getByTestId('message-input').fill('   ');
    expect(await page.getByTestId('send').isDisabled()).toBe(true);

    const reply = await ask(page, 'What are your opening hours?');
    expect(reply).not.toMatch(CJK);
    expect(await page.getByTestId('message-input').inputValue()).toBe('');
    // The answer cites its knowledge-base article (the greeting cites nothing).
    const chips = turns(page, 'bot').getByTestId('citation');
    expect(await chips.count()).toBeGreaterThan(0);
    expect(await chips.first().textContent()).toMatch(/^Source: \S/);
    // Customer on the right, assistant on the left.
    const customerBox = (await turns(page, 'customer').last().boundingBox())!;
    const botBox = (await turns(page, 'bot').last().boundingBox())!;
    expect(customerBox.x + customerBox.width).toBeGreaterThan(botBox.x + botBox.width);
    expect(customerBox.x).toBeGreaterThan(botBox.x);
    await page.screenshot({ path: '/tmp/kiosk-en.png' });

    // Quick replies offered with the last answer send their label.
    const suggestions = page.getByTestId('suggestion');
    expect(await suggestions.count()).toBeGreaterThan(0);
    const label = (await suggestions.first().textContent()) ?? '';
    await suggestions.first().click();
    await expect.poll(() => turns(page, 'customer').last().locator('.bubble').textContent(), WAIT).toBe(label);
  });

  it('speaks Chinese after the 中文 toggle', async () => {
    const page = await openKiosk();
    await page.getByTestId('lang-zh').click();
    expect(await page.getByTestId('welcome-start').textContent()).toBe('开始');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-Hans');
    await start(page);
    expect(await turns(page, 'bot').first().textContent()).toMatch(CJK);
    expect(await page.getByTestId('send').textContent()).toBe('发送');

    const reply = await ask(page, '我的卡丢了');
    expect(reply).toMatch(CJK);
    await page.screenshot({ path: '/tmp/kiosk-zh.png' });
  });

  it('asks for a person and shows the handoff banner while the chat stays usable', async () => {
    const page = await openKiosk();
    await start(page);
    expect(await page.getByTestId('status-banner').isVisible()).toBe(false);

    await page.getByTestId('agent-button').click();
    await expect.poll(() => turns(page, 'customer').last().textContent(), WAIT).toContain('I want to talk to a person');
    await expect.poll(() => page.getByTestId('status-banner').isVisible(), WAIT).toBe(true);
    expect(await page.getByTestId('status-banner').textContent()).toContain('An agent has been requested');
    expect(await page.getByTestId('message-input').isEditable()).toBe(true);

    // The banner follows the language toggle.
    await page.getByTestId('lang-zh').click();
    expect(await page.getByTestId('status-banner').textContent()).toContain('正在为您转接人工客服');
  });

  it('sends 我要转人工 from the Chinese 转人工 button', async () => {
    const page = await openKiosk();
    await page.getByTestId('lang-zh').click();
    await start(page);
    expect(await page.getByTestId('agent-button').textContent()).toBe('转人工');
    await page.getByTestId('agent-button').click();
    await expect.poll(() => turns(page, 'customer').last().textContent(), WAIT).toContain('我要转人工');
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toContain('正在为您转接人工客服');
  });

  it('resumes the same conversation after a dropped socket and a reload, without doubling a message', async () => {
    const page = await openKiosk();
    const sockets: WebSocketRoute[] = [];
    let dropNextReply = false;
    await page.routeWebSocket(/\/v1\/chat$/, (ws) => {
      sockets.push(ws);
      const server = ws.connectToServer();
      server.onMessage((frame) => {
        if (dropNextReply && typeof frame === 'string' && frame.includes('"type":"turns"')) {
          // The server handled the message, but the line drops before the answer arrives.
          dropNextReply = false;
          void ws.close({ code: 4000, reason: 'test drop' });
          return;
        }
        ws.send(frame);
      });
    });
    await start(page);
    await ask(page, 'What are your opening hours?');
    const allTurns = () => page.getByTestId('transcript').locator('[data-testid="turn"]').allTextContents();
    const before = await allTurns();

    // 1. The socket drops while idle: the page reconnects and keeps the transcript.
    await sockets[0]!.close({ code: 4000, reason: 'test drop' });
    await expect.poll(() => sockets.length, WAIT).toBe(2);
    await expect.poll(() => page.getByTestId('connection').isVisible(), WAIT).toBe(false);
    expect(await allTurns()).toEqual(before);

    // 2. The answer to a message is lost: the page re-sends it after reconnecting, and the
    //    server recognises the resend, so the customer's words appear once.
    dropNextReply = true;
    await page.getByTestId('message-input').fill('I lost my card');
    await page.getByTestId('send').click();
    await expect.poll(() => sockets.length, WAIT).toBe(3);
    await expect.poll(() => page.getByTestId('typing').count(), WAIT).toBe(0);
    expect(await turns(page, 'customer').filter({ hasText: 'I lost my card' }).count()).toBe(1);
    expect((await allTurns()).length).toBeGreaterThan(before.length + 1);
    const conversationId = await page.evaluate(() => JSON.parse(sessionStorage.getItem('switchboard.kiosk.conversation') ?? '{}').conversationId as string);
    const stored = app.conversations.get(conversationId).turns.filter((t) => t.speaker === 'customer' && t.text === 'I lost my card');
    expect(stored).toHaveLength(1);

    // 3. A reload of the page resumes the same conversation.
    const afterDrop = await allTurns();
    await page.reload();
    await expect.poll(allTurns, WAIT).toEqual(afterDrop);
    expect(await page.getByTestId('welcome-start').isVisible()).toBe(false);
  });

  it('shows a human sentence for an error code and gives the text back', async () => {
    const page = await openKiosk();
    await page.routeWebSocket(/\/v1\/chat$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('"type":"message"')) {
          ws.send(JSON.stringify({ type: 'error', error: { code: 'MESSAGE_TOO_LONG', message: 'message is longer than 1000 characters' } }));
        } else server.send(frame);
      });
    });
    await start(page);
    await page.getByTestId('message-input').fill('Hello there');
    await page.getByTestId('message-input').press('Enter');
    await expect.poll(() => page.getByTestId('error').textContent(), WAIT).toBe('That message is too long. Please shorten it.');
    expect(await page.getByTestId('message-input').inputValue()).toBe('Hello there');
    expect(await page.getByTestId('typing').count()).toBe(0);
  });

  it('caps the message at 1000 characters with a counter near the limit', async () => {
    const page = await openKiosk();
    await start(page);
    await page.getByTestId('message-input').fill('a'.repeat(500));
    expect(await page.getByTestId('counter').isVisible()).toBe(false);
    await page.getByTestId('message-input').fill('a'.repeat(1200));
    expect((await page.getByTestId('message-input').inputValue()).length).toBe(1000);
    expect(await page.getByTestId('counter').textContent()).toBe('1000 / 1000');
  });

  it('ends the conversation with the End button and after a goodbye offers a new one', async () => {
    const page = await openKiosk();
    await start(page);
    await ask(page, 'What are your opening hours?');
    await page.getByTestId('end-button').click();
    expect(await page.getByTestId('welcome-start').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="turn"]').count()).toBe(0);

    await start(page);
    expect(await turns(page, 'customer').count()).toBe(0);
    await page.getByTestId('message-input').fill('Goodbye');
    await page.getByTestId('message-input').press('Enter');
    await expect.poll(() => page.getByTestId('ended').isVisible(), WAIT).toBe(true);
    expect(await page.getByTestId('ended').textContent()).toContain('This conversation has ended.');
    await page.getByTestId('start-new').click();
    await expect.poll(() => turns(page, 'bot').count(), WAIT).toBe(1);
    expect(await turns(page, 'customer').count()).toBe(0);
    expect(await page.getByTestId('ended').isVisible()).toBe(false);
  });

  it('still names the agent after a reload while the agent is serving the customer', async () => {
    const page = await openKiosk();
    await start(page);
    await page.getByTestId('agent-button').click();
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toContain('An agent has been requested');
    const saved = await page.evaluate(() => sessionStorage.getItem('switchboard.kiosk.conversation'));
    const conversationId = (JSON.parse(saved ?? '{}') as { conversationId?: string }).conversationId ?? '';
    app.conversations.assignAgent(conversationId, { subject: 'account:e2e-agent', name: 'Ana Lima' });
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toBe('Ana Lima has joined and is now chatting with you.');
    await page.reload();
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toBe('Ana Lima has joined and is now chatting with you.');
  });

  it('shows the place in line, the agent by name, then asks for a rating and sends it', async () => {
    const page = await openKiosk();
    // The appliance has no agent here, so this test plays the contact center's part on the wire.
    // The appliance's own queue updates are dropped: other tests' waiting conversations move this
    // one's real place in line at any moment, and the test asserts on the place it pushes itself.
    let toClient: ((frame: string) => void) | null = null;
    const sent: unknown[] = [];
    let conversationId = '';
    await page.routeWebSocket(/\/v1\/chat$/, (ws) => {
      const server = ws.connectToServer();
      toClient = (frame) => ws.send(frame);
      server.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('"type":"welcome"')) conversationId = JSON.parse(frame).conversationId;
        if (typeof frame === 'string' && frame.includes('"type":"queue"')) return;
        ws.send(frame);
      });
      ws.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('"type":"csat"')) {
          sent.push(JSON.parse(frame));
          ws.send(JSON.stringify({ type: 'csat_thanks', conversationId }));
        } else server.send(frame);
      });
    });
    const push = (msg: object) => toClient!(JSON.stringify({ conversationId, ...msg }));
    await start(page);
    await page.getByTestId('agent-button').click();
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toContain('An agent has been requested');

    push({ type: 'queue', position: 3, estimatedWaitSeconds: 250 });
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toContain('You are number 3 in line, about 4 minutes.');
    await page.getByTestId('lang-zh').click();
    expect(await page.getByTestId('status-banner').textContent()).toContain('您当前排在第 3 位，预计等待约 4 分钟。');
    await page.getByTestId('lang-en').click();

    push({ type: 'status', status: 'with_agent', agentName: 'Li Mei' });
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toBe('Li Mei has joined and is now chatting with you.');
    push({ type: 'turns', status: 'with_agent', turns: [{ seq: 90, speaker: 'agent', text: 'Hello, I can help with that.', language: 'en', intent: null, confidence: null, entities: [], citations: [], author: 'Li Mei', createdAt: new Date().toISOString() }] });
    const agentTurn = page.locator('[data-testid="turn"][data-speaker="agent"]');
    await expect.poll(() => agentTurn.count(), WAIT).toBe(1);
    expect(await agentTurn.locator('.speaker').textContent()).toBe('Agent · Li Mei');
    // Each turn shows its own author, not who serves now (a colleague's turn after a transfer).
    push({ type: 'turns', status: 'with_agent', turns: [{ seq: 91, speaker: 'agent', text: 'I am taking over from Li Mei.', language: 'en', intent: null, confidence: null, entities: [], citations: [], author: 'Wang Wei', createdAt: new Date().toISOString() }] });
    await expect.poll(() => agentTurn.count(), WAIT).toBe(2);
    expect(await agentTurn.last().locator('.speaker').textContent()).toBe('Agent · Wang Wei');
    // Styled apart from the assistant's bubbles.
    const bg = (sel: string) => page.locator(sel).last().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await bg('[data-speaker="agent"] .bubble')).not.toBe(await bg('[data-speaker="bot"] .bubble'));

    push({ type: 'status', status: 'closed', agentName: 'Li Mei' });
    push({ type: 'csat_request' });
    await expect.poll(() => page.getByTestId('csat').isVisible(), WAIT).toBe(true);
    expect(await page.getByTestId('csat-submit').isDisabled()).toBe(true);
    await page.getByTestId('csat-star-5').click();
    expect(await page.locator('.star.lit').count()).toBe(5);
    await page.getByTestId('csat-star-2').click();
    expect(await page.locator('.star.lit').count()).toBe(2);
    expect(await page.getByTestId('csat-star-2').getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('csat-comment').fill('Quick, thanks');
    await page.getByTestId('csat-submit').click();
    await expect.poll(() => page.getByTestId('csat-thanks').textContent(), WAIT).toBe('Thank you for your feedback!');
    expect(await page.getByTestId('csat').isVisible()).toBe(false);
    expect(sent).toEqual([{ type: 'csat', score: 2, comment: 'Quick, thanks' }]);
  });

  it('tells the customer they are back with the assistant after an agent hands back', async () => {
    const page = await openKiosk();
    let toClient: ((frame: string) => void) | null = null;
    let conversationId = '';
    await page.routeWebSocket(/\/v1\/chat$/, (ws) => {
      const server = ws.connectToServer();
      toClient = (frame) => ws.send(frame);
      server.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('"type":"welcome"')) conversationId = JSON.parse(frame).conversationId;
        ws.send(frame);
      });
    });
    await start(page);
    const push = (msg: object) => toClient!(JSON.stringify({ conversationId, ...msg }));
    push({ type: 'status', status: 'with_agent', agentName: null });
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toBe('A member of staff has joined and is now chatting with you.');
    push({ type: 'status', status: 'active', agentName: null });
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toContain('You are back with the assistant.');
    expect(await page.getByTestId('agent-button').isDisabled()).toBe(false);
    // Gone once the customer talks to the bot again.
    await ask(page, 'What are your opening hours?');
    expect(await page.getByTestId('status-banner').isVisible()).toBe(false);
  });

  it('wipes the conversation and returns to the welcome screen after the idle time', async () => {
    const page = await openKiosk('?idle=2');
    await page.getByTestId('lang-zh').click();
    await start(page);
    await ask(page, '营业时间');
    await expect.poll(() => page.getByTestId('idle-warning').isVisible(), WAIT).toBe(true);
    await expect.poll(() => page.getByTestId('welcome-start').isVisible(), WAIT).toBe(true);
    expect(await page.locator('[data-testid="turn"]').count()).toBe(0);
    // The next customer starts in the kiosk's default language, and a reload does not bring the old chat back.
    expect(await page.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    expect(await page.getByTestId('welcome-start').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="turn"]').count()).toBe(0);
  });
});
