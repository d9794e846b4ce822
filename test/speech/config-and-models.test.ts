import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpeechConfigSchema } from '../../src/speech/config.ts';
import { ModelCatalog } from '../../src/speech/models.ts';
import { transcriptText } from '../../src/speech/voice-call.ts';

function fakeModel(dir: string, name: string, files: Record<string, string> = {}): void {
  for (const [path, text] of Object.entries({ 'am/final.mdl': '', ...files })) {
    mkdirSync(join(dir, name, path, '..'), { recursive: true });
    writeFileSync(join(dir, name, path), text);
  }
}

describe('speech config', () => {
  it('has defaults that run: ports 2700 and 9092, the demo models, a bounded pool', () => {
    const c = SpeechConfigSchema.parse({});
    expect(c.voskServer.port).toBe(2700);
    expect(c.audioSocket.port).toBe(9092);
    expect(c.models).toEqual({ en: 'demo-en-8k', zh: 'demo-zh-8k' });
    expect(c.pool.maxStreams).toBeGreaterThan(0);
    expect(c.sampleRates).toEqual([8000, 16000]);
  });

  it('merges partial overrides with the defaults and coerces environment strings', () => {
    const c = SpeechConfigSchema.parse({ models: { zh: 'zh-cn-big' }, pool: { processes: '4' }, voskServer: { port: '0' } });
    expect(c.models).toEqual({ en: 'demo-en-8k', zh: 'zh-cn-big' });
    expect(c.pool.processes).toBe(4);
    expect(c.voskServer.port).toBe(0);
  });

  it.each([
    [{ models: { en: '../etc' } }],
    [{ pool: { processes: 0 } }],
    [{ voskServer: { port: 70000 } }],
    [{ defaultLanguage: 'fr' }],
    [{ unknownOption: true }],
  ])('rejects %j', (input) => {
    expect(SpeechConfigSchema.safeParse(input).success).toBe(false);
  });
});

describe('model catalog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-models-'));
  fakeModel(dir, 'demo-en-8k', { 'conf/mfcc.conf': '--sample-frequency=8000\n', 'conf/model.conf': '--beam=10\n--frame-subsampling-factor=1\n', 'graph/HCLr.fst': '', 'graph/Gr.fst': '' });
  fakeModel(dir, 'demo-zh-8k', { 'conf/mfcc.conf': '--sample-frequency=8000\n' });
  fakeModel(dir, 'big-16k');
  mkdirSync(join(dir, 'not-a-model'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const catalog = new ModelCatalog({ modelsDir: dir, models: { en: 'demo-en-8k', zh: 'demo-zh-8k' }, defaultLanguage: 'en' });

  it('lists the directories that are Vosk models and reads their facts', () => {
    expect(catalog.list().map((m) => m.name).sort()).toEqual(['big-16k', 'demo-en-8k', 'demo-zh-8k']);
    expect(catalog.resolve({})).toMatchObject({ name: 'demo-en-8k', sampleRate: 8000, frameSubsamplingFactor: 1, supportsGrammar: true });
    expect(catalog.resolve({ model: 'big-16k' })).toMatchObject({ sampleRate: 16000, supportsGrammar: false });
  });

  it.each([
    [{ language: 'zh' as const }, 'demo-zh-8k'],
    [{ model: 'demo-zh-8k', language: 'en' as const }, 'demo-zh-8k'],
  ])('resolves %j to %s', (request, name) => {
    expect(catalog.resolve(request).name).toBe(name);
  });

  it.each(['not-a-model', '../demo-en-8k', '/etc', 'missing'])('refuses model "%s"', (model) => {
    expect(() => catalog.resolve({ model })).toThrow(expect.objectContaining({ code: 'SPEECH_MODEL_NOT_FOUND' }));
  });
});

describe('transcripts for the dialog', () => {
  it.each([
    ['my card was stolen', 'my card was stolen'],
    ['人工 服务', '人工服务'],
    ['挂失 [unk] 卡', '挂失卡'],
    ['  [unk]  ', ''],
    ['one two 三', 'one two 三'],
  ])('%j → %j', (raw, text) => {
    expect(transcriptText(raw)).toBe(text);
  });
});
