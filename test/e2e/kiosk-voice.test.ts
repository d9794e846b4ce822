// The kiosk's talk button in a real Chromium against a real appliance with speech on: Chromium
// plays a synthesized WAV as its microphone, the page resamples it to 16 kHz and streams it to
// /v1/speech, and the recognized words go through the same conversation as typed ones. Also:
// tap-to-toggle for customers who cannot hold, a refused token, a busy recognizer and a
// refused microphone each give a clear sentence and a button that can be tried again.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type Appliance } from '../../src/appliance/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/ops/index.ts';

const WAIT = { timeout: 15_000 };
/** The speech timeline is real time: recognition of a looping 3 s WAV needs a few seconds. */
const SPEECH_WAIT = { timeout: 20_000, interval: 100 };

let app: Appliance;
let dir: string;
const browsers: Browser[] = [];

/** A 48 kHz 16-bit mono WAV of `text` with silence around it (Chromium loops the file as the mic). */
function synthesize(name: string, voice: string, text: string): string {
  const espeak = spawnSync('espeak-ng', ['-v', voice, '-s', '140', '--stdout', text], { maxBuffer: 16 << 20 });
  if (espeak.status !== 0) throw new Error(`espeak-ng failed: ${espeak.stderr.toString()}`);
  const path = join(dir, `${name}.wav`);
  const sox = spawnSync('sox', ['-q', '-t', 'wav', '-', '-r', '48000', '-c', '1', '-b', '16', path, 'pad', '0.5', '1.5'], { input: espeak.stdout });
  if (sox.status !== 0) throw new Error(`sox failed: ${sox.stderr.toString()}`);
  return path;
}

beforeAll(async () => {
  const { buildWeb } = (await import('../../scripts/build.mjs' as string)) as { buildWeb: (o?: { minify?: boolean }) => Promise<void> };
  await buildWeb();
  dir = mkdtempSync(join(tmpdir(), 'sb-e2e-voice-'));
  app = await startAppliance(
    parseConfig({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'data'), logLevel: 'silent', speech: { enabled: true, pool: { processes: 1 }, voskServer: { port: 0 }, audioSocket: { port: 0 } } }),
    { logger: silentLogger },
  );
});

afterEach(async () => {
  await Promise.all(browsers.splice(0).map((b) => b.close()));
});

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Records every microphone stream the page opens, so a test can check each was stopped. */
const TRACK_STREAMS = () => {
  const w = window as unknown as { __micStreams: MediaStream[] };
  w.__micStreams = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    w.__micStreams.push(stream);
    return stream;
  };
};

async function openKiosk(microphoneWav: string, options: { init?: Array<() => void> } = {}): Promise<Page> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${microphoneWav}`,
    ],
  });
  browsers.push(browser);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', permissions: ['microphone'] });
  await context.addInitScript(TRACK_STREAMS);
  for (const script of options.init ?? []) await context.addInitScript(script);
  const page = await context.newPage();
  await page.goto(app.url);
  return page;
}

const turns = (page: Page, speaker: 'customer' | 'bot') => page.locator(`[data-testid="turn"][data-speaker="${speaker}"]:not([data-pending])`);

async function start(page: Page): Promise<void> {
  await page.getByTestId('welcome-start').click();
  await expect.poll(() => turns(page, 'bot').count(), WAIT).toBeGreaterThan(0);
}

/** Microphone streams the page opened, and how many of their tracks are still live. */
const micStreams = (page: Page) =>
  page.evaluate(() => {
    const streams = (window as unknown as { __micStreams: MediaStream[] }).__micStreams;
    return { opened: streams.length, live: streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length };
  });

const talkButton = (page: Page) => page.getByTestId('talk-button');
const talkState = (page: Page) => talkButton(page).getAttribute('data-state');
const input = (page: Page) => page.getByTestId('message-input');

describe('kiosk push-to-talk', () => {
  it('hold to talk: the partial shows greyed in the box, and on release "balance" goes to the assistant', async () => {
    const page = await openKiosk(synthesize('balance', 'en-us', 'balance'));
    await start(page);
    const botsBefore = await turns(page, 'bot').count();
    expect(await talkButton(page).isVisible()).toBe(true);
    expect(await page.getByTestId('talk-label').textContent()).toBe('Hold to talk');
    // Something typed before speaking is given back afterwards.
    await input(page).fill('draft');

    await page.screenshot({ path: '/tmp/kiosk-ptt-idle.png' });
    const box = (await talkButton(page).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await expect.poll(() => talkState(page)).toBe('listening');
    expect(await talkButton(page).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('talk-label').textContent()).toBe('Listening… release to send');
    // The level meter moves with the voice.
    await expect.poll(() => talkButton(page).evaluate((b) => Number(getComputedStyle(b).getPropertyValue('--level'))), SPEECH_WAIT).toBeGreaterThan(0.3);
    await expect.poll(() => input(page).inputValue(), SPEECH_WAIT).toContain('balance');
    expect(await input(page).evaluate((el) => el.classList.contains('speech-draft') && (el as HTMLTextAreaElement).readOnly)).toBe(true);
    expect(await page.getByTestId('send').isDisabled()).toBe(true);
    expect((await micStreams(page)).live).toBe(1);
    await page.screenshot({ path: '/tmp/kiosk-ptt.png' });
    await page.mouse.up();

    // The microphone is off the moment the button is released.
    expect((await micStreams(page)).live).toBe(0);
    await expect.poll(() => turns(page, 'customer').last().locator('.bubble').textContent(), SPEECH_WAIT).toBe('balance');
    await expect.poll(() => turns(page, 'bot').count(), WAIT).toBeGreaterThan(botsBefore);
    expect(await turns(page, 'bot').last().textContent()).toMatch(/account number/i);
    expect(await input(page).inputValue()).toBe('draft');
    expect(await input(page).evaluate((el) => el.classList.contains('speech-draft'))).toBe(false);
    expect(await talkState(page)).toBe('idle');
    expect(await page.getByTestId('error').isVisible()).toBe(false);

    // Space on the focused button works the same way (keyboard users).
    await input(page).fill('');
    await talkButton(page).focus();
    await page.keyboard.down(' ');
    await expect.poll(() => talkState(page)).toBe('listening');
    await expect.poll(() => input(page).inputValue(), SPEECH_WAIT).toContain('balance');
    await page.keyboard.up(' ');
    await expect.poll(() => turns(page, 'customer').count(), SPEECH_WAIT).toBe(2);
    expect(await turns(page, 'customer').last().locator('.bubble').textContent()).toBe('balance');
    expect(await micStreams(page)).toEqual({ opened: 2, live: 0 });
  });

  it('tap to start and tap to send, in Chinese: 人工 hands the conversation to an agent', async () => {
    const page = await openKiosk(synthesize('rengong', 'cmn-latn-pinyin', 'ren2 gong1'));
    await page.getByTestId('lang-zh').click();
    await start(page);
    expect(await page.getByTestId('talk-label').textContent()).toBe('按住说话');

    // A short tap latches listening on for customers who cannot hold the button.
    await talkButton(page).click();
    await expect.poll(() => page.getByTestId('talk-label').textContent()).toBe('正在聆听…再点一下发送');
    expect(await talkState(page)).toBe('listening');
    await expect.poll(() => input(page).inputValue(), SPEECH_WAIT).toContain('人工');
    // Chinese words come joined, without the recognizer's spaces.
    expect(await input(page).inputValue()).not.toMatch(/人\s+工/);
    await talkButton(page).click();

    await expect.poll(() => turns(page, 'customer').last().locator('.bubble').textContent(), SPEECH_WAIT).toContain('人工');
    await expect.poll(() => page.getByTestId('status-banner').textContent(), WAIT).toContain('正在为您转接人工客服');
    expect(await micStreams(page)).toEqual({ opened: 1, live: 0 });
  });

  it('says voice input is unavailable when the appliance refuses the token, and lets the customer retry later', async () => {
    const page = await openKiosk(synthesize('hello', 'en-us', 'hello'), {
      init: [
        // Every speech socket presents a token the appliance does not know (the chat is untouched).
        () => {
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(url: string | URL, protocols?: string | string[]) {
              super(url, Array.isArray(protocols) ? protocols.map((p) => (p.startsWith('bearer.') ? 'bearer.not-a-token' : p)) : protocols);
            }
          };
        },
      ],
    });
    await start(page);
    const box = (await talkButton(page).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await expect.poll(() => page.getByTestId('error').textContent(), WAIT).toBe('Voice input is not available right now. Please type your question.');
    await page.mouse.up();
    expect(await page.getByTestId('talk-label').textContent()).toBe('Voice unavailable');
    expect(await talkButton(page).isDisabled()).toBe(true);
    expect((await micStreams(page)).live).toBe(0);
    expect(await input(page).inputValue()).toBe('');
    expect(await turns(page, 'customer').count()).toBe(0);
    // Bilingual, and typing still works.
    await page.getByTestId('lang-zh').click();
    expect(await page.getByTestId('error').textContent()).toBe('语音输入暂不可用，请输入文字提问。');
    expect(await page.getByTestId('talk-label').textContent()).toBe('语音暂不可用');
    // After a rest the button can be tried again.
    await expect.poll(() => talkButton(page).isDisabled(), WAIT).toBe(false);
    expect(await page.getByTestId('talk-label').textContent()).toBe('按住说话');
  });

  it('says the service is busy when every recognizer is taken, and that the microphone is refused', async () => {
    const page = await openKiosk(synthesize('hello2', 'en-us', 'hello'));
    // The appliance's answer when its recognizer slots are full: the error envelope, then 1013.
    await page.routeWebSocket(/\/v1\/speech$/, (ws) => {
      ws.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('"config"')) {
          ws.send(JSON.stringify({ error: { code: 'SPEECH_BUSY', message: 'all 40 recognition streams are in use' } }));
          void ws.close({ code: 1013, reason: 'SPEECH_BUSY' });
        }
      });
    });
    await start(page);
    await talkButton(page).click();
    await expect.poll(() => page.getByTestId('error').textContent(), WAIT).toBe('Voice input is busy. Please try again in a moment, or type your question.');
    expect(await talkState(page)).toBe('unavailable');
    // The answer can beat the microphone's opening: it is closed as soon as it opens.
    await expect.poll(async () => (await micStreams(page)).live, WAIT).toBe(0);

    // A microphone the browser refuses.
    const denied = await openKiosk(synthesize('hello3', 'en-us', 'hello'), {
      init: [
        () => {
          navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        },
      ],
    });
    await start(denied);
    await talkButton(denied).click();
    await expect.poll(() => denied.getByTestId('error').textContent(), WAIT).toBe('This screen is not allowed to use the microphone. Please type your question.');
    expect(await talkState(denied)).toBe('unavailable');
  });

  it('closes the microphone when the kiosk resets for the next customer', async () => {
    const page = await openKiosk(synthesize('hello4', 'en-us', 'hello'));
    await start(page);
    await talkButton(page).click();
    await expect.poll(async () => (await micStreams(page)).live, WAIT).toBe(1);
    await page.getByTestId('end-button').click();
    expect(await page.getByTestId('welcome-start').isVisible()).toBe(true);
    expect(await micStreams(page)).toEqual({ opened: 1, live: 0 });
    await start(page);
    expect(await talkState(page)).toBe('idle');
    expect(await input(page).inputValue()).toBe('');
  });
});
