// NluService: persisted models reload without training, damaged files are retrained, and
// retraining happens in a worker while understand() keeps answering from the old model.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/index.ts';
import { NluService, type TrainingCorpus } from '../../src/nlu/index.ts';
import { bilingualCorpus, syntheticCorpus } from './fixtures.ts';

const extendedCorpus: TrainingCorpus = {
  intents: [
    ...bilingualCorpus.intents,
    {
      name: 'loan.apply',
      examples: {
        en: ['I want to apply for a loan', 'how do I get a mortgage', 'can I borrow money from the bank', 'loan application'],
        zh: ['我想申请贷款', '怎么办理房贷', '我能向银行借钱吗', '贷款申请'],
      },
    },
  ],
};

let dir: string;
let services: NluService[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nlu-service-'));
  services = [];
});
afterEach(async () => {
  await Promise.all(services.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function logCapture(): { logger: Logger; messages: () => { level: number; msg: string }[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), messages: () => lines.map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

function service(options: Partial<ConstructorParameters<typeof NluService>[0]> = {}): NluService {
  const s = new NluService({ modelPath: join(dir, 'models', 'nlu.json'), now: () => new Date('2024-05-18T08:00:00Z'), ...options });
  services.push(s);
  return s;
}

describe('NluService', () => {
  it('refuses to answer before a model exists', () => {
    const s = service();
    expect(s.status()).toEqual({ ready: false, version: null, trainedAt: null, training: false, intents: 0 });
    expect(() => s.understand('hello')).toThrow(expect.objectContaining({ code: 'NLU_NOT_READY' }));
  });

  it('trains on first start, persists, and a second start reloads the file without training', async () => {
    const first = service();
    await first.start(bilingualCorpus);
    expect(first.status()).toMatchObject({ ready: true, training: false, intents: 6, trainedAt: '2024-05-18T08:00:00.000Z' });
    expect(first.understand('I forgot my password').intent).toBe('password.reset');
    const modelFile = join(dir, 'models', 'nlu.json');
    const writtenAt = statSync(modelFile).mtimeMs;

    const log = logCapture();
    const second = service({ logger: log.logger });
    await second.start(bilingualCorpus);
    expect(second.status().version).toBe(first.status().version);
    expect(second.understand('卡被偷了').intent).toBe('card.lost');
    expect(statSync(modelFile).mtimeMs).toBe(writtenAt);
    expect(log.messages().map((m) => m.msg)).toEqual(['loaded persisted NLU model']);
  });

  it('retrains when the corpus changed since the model was persisted', async () => {
    const first = service();
    await first.start(bilingualCorpus);
    const s = service();
    const starting = s.start(extendedCorpus);
    // The stale model answers while its replacement trains.
    expect(s.status()).toMatchObject({ ready: true, training: true, version: first.status().version });
    await starting;
    expect(s.status().version).not.toBe(first.status().version);
    expect(s.understand('I want to apply for a loan').intent).toBe('loan.apply');
  });

  it('retrains instead of crashing when the model file is corrupt', async () => {
    const modelPath = join(dir, 'nlu.json');
    writeFileSync(modelPath, '{"format":"switchboard-nlu-model","formatVersion":1,"vers');
    const log = logCapture();
    const s = service({ modelPath, logger: log.logger });
    await s.start(bilingualCorpus);
    expect(s.understand('reset my password').intent).toBe('password.reset');
    expect(log.messages().find((m) => m.level === 40)?.msg).toMatch(/unreadable; retraining/);
    expect(JSON.parse(readFileSync(modelPath, 'utf8'))).toMatchObject({ version: s.status().version });
  });

  it('keeps answering from the old model, with the event loop free, while retraining', async () => {
    const s = service();
    await s.start(bilingualCorpus);
    const oldVersion = s.status().version;

    const answers: { version: string | null; intent: string | null }[] = [];
    let last = performance.now();
    let maxGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      const version = s.status().version;
      answers.push({ version, intent: s.understand('I want to apply for a loan').intent });
    }, 5);
    // Big enough that training on the main thread would stall the ticker for its whole duration.
    const bigCorpus: TrainingCorpus = { intents: [...extendedCorpus.intents, ...syntheticCorpus(40, 40).intents] };
    const retraining = s.retrain(bigCorpus);
    expect(s.status().training).toBe(true);
    const result = await retraining;
    clearInterval(ticker);

    expect(result.version).not.toBe(oldVersion);
    expect(s.status()).toMatchObject({ version: result.version, training: false, intents: 47 });
    expect(answers.length).toBeGreaterThan(10);
    expect(result.trainedMs).toBeGreaterThan(300);
    // Every answer during training came from the old model, which has no loan intent.
    expect(answers.every((a) => a.version === oldVersion && a.intent !== 'loan.apply')).toBe(true);
    // Had training run on this thread, one gap would be at least trainedMs long.
    expect(maxGap, `longest pause between ticks: ${maxGap.toFixed(0)} ms`).toBeLessThan(Math.max(250, result.trainedMs / 2));
    expect(s.understand('I want to apply for a loan').intent).toBe('loan.apply');
  });

  it('coalesces retrain calls that arrive while training into one run on the latest corpus', async () => {
    const s = service();
    await s.start(bilingualCorpus);
    const first = s.retrain(extendedCorpus);
    const second = s.retrain(bilingualCorpus);
    const third = s.retrain(extendedCorpus);
    expect(third).toBe(second);
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(b).toEqual(c);
    expect(b.version).toBe(a.version); // the follow-up trained the latest corpus: extendedCorpus again
    expect(s.understand('how do I get a mortgage').intent).toBe('loan.apply');
  });

  it('rejects a pending retrain when closed, and refuses new ones', async () => {
    const s = service();
    const running = s.retrain(bilingualCorpus);
    await s.close();
    const error = await running.catch((err: unknown) => err);
    expect(isAppError(error) && error.code).toBe('NLU_TRAINING_FAILED');
    await expect(s.retrain(bilingualCorpus)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
