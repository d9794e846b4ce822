// Pitch feature speed: milliseconds of computePitchFeatures per second of 8 kHz audio, on about
// 70 s of eSpeak NG speech (English and Mandarin voices), half clean and half with white or pink
// noise at 10 dB SNR, fed the way the builder does (800-sample calls, ±15 frames of network
// context). Prints the median over several runs after one warm-up run; not part of `npm run bench`.
// Run: npx tsx bench/pitch-speed.ts [--runs N] [--module path/to/pitch.ts] [--options telephony|coarse]
// (--module times another copy of pitch.ts, e.g. the previous version, on the same audio;
// --options picks TELEPHONY_PITCH (default, Mandarin) or COARSE_TELEPHONY_PITCH.)

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resample, toInt16 } from '../src/speech/audio/resample.ts';
import { addNoise, makeNoise } from '../scripts/speech-model/augment.ts';
import { Rng } from '../scripts/speech-model/rng.ts';
import { espeakRaw, MODEL_RATE, type VoiceConfig } from '../scripts/speech-model/synth.ts';
import type * as PitchModule from '../scripts/speech-model/pitch.ts';

const FEED = { samplesPerCall: 800, leftContext: 15, rightContext: 15 };
const SNR_DB = 10;

const VOICES: VoiceConfig[] = [
  { voice: 'en-us', variant: 'm3', speed: 160, pitch: 50, wordGap: 0 },
  { voice: 'en-us', variant: 'f2', speed: 175, pitch: 70, wordGap: 0 },
  { voice: 'cmn', variant: 'm1', speed: 150, pitch: 40, wordGap: 0 },
  { voice: 'cmn', variant: 'f3', speed: 165, pitch: 60, wordGap: 0 },
];
const TEXTS: Record<string, string[]> = {
  'en-us': ['one two three four five six', 'I would like to check my account balance please', 'transfer me to billing'],
  cmn: ['一 二 三 四 五 六', '我想查询一下我的账户余额', '请帮我转到人工服务'],
};

function parseArgs(): { runs: number; module: string; options: 'telephony' | 'coarse' } {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const options = value('--options') ?? 'telephony';
  if (options !== 'telephony' && options !== 'coarse') throw new Error(`--options must be telephony or coarse, not ${options}`);
  return { runs: Number(value('--runs') ?? 7), module: resolve(value('--module') ?? 'scripts/speech-model/pitch.ts'), options };
}

/** Each voice × text once clean and once with noise: about 70 s in 24 utterances. */
function benchAudio(): Int16Array[] {
  const rng = new Rng(7);
  const out: Int16Array[] = [];
  for (const v of VOICES) {
    for (const text of TEXTS[v.voice] ?? []) {
      const raw = espeakRaw(v, text);
      const speech = resample(Float32Array.from(raw.samples), raw.rate, MODEL_RATE);
      const noise = makeNoise(rng.pick(['white', 'pink'] as const), speech.length, rng);
      out.push(toInt16(speech), toInt16(addNoise(speech, noise, SNR_DB)));
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function main(): Promise<void> {
  const { runs, module, options } = parseArgs();
  const pitch = (await import(pathToFileURL(module).href)) as typeof PitchModule;
  const opts = options === 'coarse' ? pitch.COARSE_TELEPHONY_PITCH : pitch.TELEPHONY_PITCH;
  const audio = benchAudio();
  const seconds = audio.reduce((s, a) => s + a.length, 0) / MODEL_RATE;
  /** One pass over all utterances: [wall, process CPU] ms per audio second. */
  const timeOnce = (): [number, number] => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const a of audio) pitch.computePitchFeatures(a, opts, FEED);
    const cpu = process.cpuUsage(c0);
    return [(performance.now() - t0) / seconds, (cpu.user + cpu.system) / 1000 / seconds];
  };
  timeOnce();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const [w, c] = timeOnce();
    wall.push(w);
    cpu.push(c);
  }
  console.log(`${module} (${options} options)`);
  console.log(`${audio.length} utterances, ${seconds.toFixed(1)} s of audio, ${runs} runs`);
  console.log(`pitch: ${median(wall).toFixed(2)} ms per audio second (median wall time; runs: ${wall.map((x) => x.toFixed(2)).join(' ')})`);
  // on a shared machine the wall time also counts time spent waiting for a core
  console.log(`       ${median(cpu).toFixed(2)} ms CPU per audio second (median)`);
}

await main();
