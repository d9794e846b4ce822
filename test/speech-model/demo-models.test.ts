// The committed demo models load in libvosk and recognize freshly synthesized speech from
// held-out voices (voices/variants/speeds never used in training), in free recognition and
// with per-call grammars; the static-HCLG variant written by the FST writer decodes the same.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toInt16 } from '../../src/speech/audio/resample.ts';
import { setVoskLogLevel, VoskModel, VoskRecognizer } from '../../src/speech/libvosk.ts';
import { editDistance, recognize } from '../../scripts/speech-model/decode.ts';
import { LANGUAGES, wordSay } from '../../scripts/speech-model/languages.ts';
import { synthesizeItems, type VoiceConfig } from '../../scripts/speech-model/synth.ts';

const modelsDir = resolve(import.meta.dirname, '../../models');

function padded(speech: Float32Array): Int16Array {
  const out = new Float32Array(speech.length + 4000);
  out.set(speech, 2000);
  return toInt16(out);
}

function say(cfg: VoiceConfig, lang: 'en' | 'zh', utterances: string[][]): Int16Array[] {
  const spec = LANGUAGES[lang];
  const items = synthesizeItems(cfg, utterances.map((u) => u.map((t) => wordSay(spec, t)).join(' ')));
  if (!items) throw new Error('synthesis failed');
  return items.map(padded);
}

const models: Partial<Record<'en' | 'zh', VoskModel>> = {};
let tmp: string;

beforeAll(() => {
  setVoskLogLevel(-2);
  models.en = new VoskModel(join(modelsDir, LANGUAGES.en.modelName));
  models.zh = new VoskModel(join(modelsDir, LANGUAGES.zh.modelName));
  tmp = mkdtempSync(join(tmpdir(), 'demo-models-'));
});

afterAll(() => {
  models.en?.free();
  models.zh?.free();
  rmSync(tmp, { recursive: true, force: true });
});

function model(lang: 'en' | 'zh'): VoskModel {
  const m = models[lang];
  if (!m) throw new Error('model not loaded');
  return m;
}

const EN_CASES: string[][] = [['four', 'seven', 'two', 'nine'], ['one', 'zero', 'five', 'eight', 'three'], ['operator'], ['balance'], ['password'], ['goodbye'], ['yes'], ['lost'], ['six', 'oh', 'nine', 'one']];
const ZH_CASES: string[][] = [['四', '七', '二', '九'], ['一', '零', '五', '八', '三'], ['人工'], ['余额'], ['密码'], ['营业时间'], ['再见'], ['挂失'], ['六', '九', '一', '二']];

describe.each([
  ['en', EN_CASES, { voice: LANGUAGES.en.test.voices[0] ?? 'en-us-nyc', variant: LANGUAGES.en.test.variants[0] ?? 'f1', speed: LANGUAGES.en.test.speeds[1] ?? 185, pitch: LANGUAGES.en.test.pitches[1] ?? 40, wordGap: 0 }],
  ['zh', ZH_CASES, { voice: LANGUAGES.zh.test.voices[0] ?? 'cmn-latn-pinyin', variant: LANGUAGES.zh.test.variants[1] ?? 'f1', speed: LANGUAGES.zh.test.speeds[1] ?? 185, pitch: LANGUAGES.zh.test.pitches[2] ?? 50, wordGap: 0 }],
] as const)('demo model %s', (lang, cases, cfg) => {
  it('recognizes held-out speech (free recognition)', () => {
    const audio = say(cfg, lang, cases.map((c) => [...c]));
    let errors = 0, words = 0;
    const hyps = audio.map((a) => recognize(model(lang), a));
    cases.forEach((ref, i) => {
      words += ref.length;
      errors += editDistance([...ref], hyps[i] ?? []);
    });
    // Held-out word accuracy is ~0.80-0.97 (docs/benchmarks.md); a broken model, feature
    // mismatch or wrong graph scores near 0, which is what this guards against.
    expect(1 - errors / words, `hypotheses: ${JSON.stringify(hyps)}`).toBeGreaterThanOrEqual(0.75);
  });

  it('partial results keep up with the speech (at most ~400 ms after it ends, fed in 100 ms chunks)', () => {
    // libvosk hands the network a frame only when every feature stream has it; pitch with Kaldi's
    // offline normalization window (75 frames of right context) held them all back 750 ms.
    const target = [...(cases[2] ?? [])];
    const [audio] = say(cfg, lang, [target]);
    if (!audio) throw new Error('no audio');
    const stream = new Int16Array(audio.length + 8000);
    stream.set(audio);
    const speechEnd = audio.length - 2000;
    const rec = new VoskRecognizer(model(lang), { sampleRate: 8000 });
    let heardAt = -1;
    try {
      for (let i = 0; i < stream.length && heardAt < 0; i += 800) {
        const end = Math.min(stream.length, i + 800);
        const text = rec.acceptWaveform(stream.subarray(i, end)) ? rec.result().text : rec.partialResult().partial;
        if (text.replace(/\s/g, '') === target.join('')) heardAt = end;
      }
    } finally {
      rec.free();
    }
    expect(heardAt, 'the word never showed').toBeGreaterThan(0);
    expect((heardAt - speechEnd) / 8000).toBeLessThan(0.4);
  });

  it('restricts output to the grammar', () => {
    const spec = LANGUAGES[lang];
    const grammar = lang === 'en' ? ['yes', 'no', 'agent'] : ['是', '不是', '人工'];
    const target = grammar[2] as string;
    const outside = lang === 'en' ? ['balance', 'password', 'stolen', 'hours'] : ['余额', '密码', '挂失', '贷款'];
    const audio = say(cfg, lang, [[target], ...outside.map((w) => [w])]);
    const heard = audio.map((a) => recognize(model(lang), a, grammar));
    expect(heard[0]).toEqual([target]);
    for (const h of heard) for (const w of h) expect(grammar).toContain(w);
    expect(spec.words.length).toBeGreaterThan(grammar.length);
  });

  it('reports word times consistent with the audio (frame subsampling 3)', () => {
    const [audio] = say(cfg, lang, [[...(cases[0] ?? [])]]);
    if (!audio) throw new Error('no audio');
    const rec = new VoskRecognizer(model(lang), { sampleRate: 8000, words: true });
    try {
      rec.acceptWaveform(audio);
      const r = rec.finalResult();
      const words = r.words ?? [];
      expect(words.length).toBeGreaterThan(0);
      const duration = audio.length / 8000;
      const last = words[words.length - 1];
      expect(last?.end ?? 0).toBeLessThanOrEqual(duration + 0.05);
      expect(last?.end ?? 0).toBeGreaterThan(duration * 0.5);
      expect(words[0]?.start ?? 0).toBeGreaterThanOrEqual(0.1);
    } finally {
      rec.free();
    }
  });

  it('static HCLG variant (graph-static/) decodes like the shipped HCLr + Gr graph (same words, same language model)', () => {
    const src = join(modelsDir, LANGUAGES[lang].modelName);
    const dst = join(tmp, `${lang}-static`);
    cpSync(join(src, 'am'), join(dst, 'am'), { recursive: true });
    cpSync(join(src, 'conf'), join(dst, 'conf'), { recursive: true });
    cpSync(join(src, 'graph-static'), join(dst, 'graph'), { recursive: true });
    const m = new VoskModel(dst);
    try {
      const audio = say(cfg, lang, cases.map((c) => [...c]));
      const staticHyps = audio.map((a) => recognize(m, a));
      const shippedHyps = audio.map((a) => recognize(model(lang), a));
      expect(staticHyps.flat().length).toBeGreaterThan(0);
      for (const w of staticHyps.flat()) expect(LANGUAGES[lang].words.map((x) => x.token)).toContain(w);
      expect(staticHyps).toEqual(shippedHyps);
    } finally {
      m.free();
    }
  });
});
