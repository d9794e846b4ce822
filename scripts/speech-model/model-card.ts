// MODEL_CARD.md beside each built model: vocabulary, data, topology, tuning and (filled in by
// the benchmark between the accuracy markers) held-out accuracy.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LanguageSpec } from './languages.ts';
import type { LanguageBuildReport } from './train-language.ts';

export const ACCURACY_START = '<!-- accuracy:start -->';
export const ACCURACY_END = '<!-- accuracy:end -->';

export function writeModelCard(dir: string, spec: LanguageSpec, r: LanguageBuildReport): void {
  const path = join(dir, 'MODEL_CARD.md');
  let accuracy = `${ACCURACY_START}\nNot measured yet: run \`npm run bench:speech\`.\n${ACCURACY_END}`;
  if (existsSync(path)) {
    const old = readFileSync(path, 'utf8');
    const a = old.indexOf(ACCURACY_START), b = old.indexOf(ACCURACY_END);
    if (a >= 0 && b > a) accuracy = old.slice(a, b + ACCURACY_END.length);
  }
  const d = r.dev.accuracy;
  const f = (x: number): string => x.toFixed(4);
  const card = `# ${spec.modelName}

A small 8 kHz telephony Vosk model that Switchboard builds itself from ${spec.flite ? 'eSpeak NG and Flite' : 'eSpeak NG'} speech, so
the appliance can hear callers with no model download. **Demo quality**: it has only ever heard
synthetic voices. For production install a real Vosk model (e.g. vosk-model-small-en-us or
vosk-model-small-cn) into \`models/NAME/\`; the runtime loads it the same way.

## Vocabulary (${spec.words.length} words)

${spec.words.map((w) => `\`${w.token}\``).join(' ')}

Digit strings are recognized as sequences of the digit words (${spec.digits.map((d) => `\`${d}\``).join(' ')}).
${spec.id === 'zh' ? '\nTokens are Hanzi words, space separated in results (like other Vosk Chinese models).\n' : ''}
## Layout

- \`am/final.mdl\` — Kaldi TransitionModel + nnet3 AmNnetSimple (text format) with priors.
- \`conf/mfcc.conf\` — every MFCC option explicit (8 kHz, 23 mel bins, ${r.features?.numCeps ?? 13} ceps, dither 0);
  libvosk computes features from it, and the builder's TypeScript MFCC is tested against libvosk.
${r.features?.pitch ? `- \`conf/pitch.conf\` — Kaldi online pitch options; libvosk appends 3 pitch features (voicing, normalized
  log-pitch, delta-pitch) to the MFCC of every frame. The builder's TypeScript port of Kaldi's pitch
  tracker is tested against libvosk too.
` : ''}- \`am/global_cmvn.stats\` — global ${r.features?.pitch ? 'MFCC + pitch' : 'MFCC'} statistics; their presence makes libvosk apply Kaldi's
  online cepstral mean normalization (600-frame causal window, started from the global mean),
  which the net was trained on.
- \`conf/model.conf\` — beam/lattice settings, tuned acoustic scale, frame subsampling 3
  (libvosk's word times assume it), phone-call endpointing (rule2 0.5 s trailing silence,
  rule3 1.0 s, rule4 2.0 s).
- \`graph/HCLr.fst\` + \`graph/Gr.fst\` + \`graph/disambig_tid.int\` + \`graph/words.txt\` —
  the shipped graph. Gr is ${lmText(r)}, so plain recognizers do free recognition;
  \`vosk_recognizer_new_grm\` replaces Gr with a per-call grammar (words outside the
  vocabulary are dropped by libvosk; the language model does not apply there).
- \`graph-static/HCLG.fst\` — the same word loop and language model as one static graph. libvosk ignores grammars
  when \`graph/HCLG.fst\` exists, which is why it is not in \`graph/\`; to trade grammars for a
  slightly faster decoder, copy it into \`graph/\` and delete HCLr.fst/Gr.fst.
- \`build-report.json\` — everything the builder measured (corpus, passes, dev grid, timings).

## How it was built

\`npm run build:speech-models\` (\`tsx scripts/speech-model/build.ts\`), seed ${r.seed}, in ${r.seconds.total.toFixed(0)} s on one core
(synthesis ${r.seconds.synthesis.toFixed(0)} s, training ${r.seconds.training.toFixed(0)} s, dev tuning ${r.seconds.tuning.toFixed(0)} s).

- **Data**: eSpeak NG voices ${spec.train.voices.map((v) => `\`${v}\``).join(', ')} × (${spec.train.variants.length} shipped voice variants,
  ${spec.passesPerTrainVoice} pass(es) each, + ${spec.randomVariantsPerVoice} generated variants per voice with a random vocal-tract
  length (all formants ×0.62–1.45 together, F1 sometimes on its own; a quarter with higher formants moved far or switched off), spectral "tone", pitch, roughness, flutter, echo, breath,
  stress rhythm and Klatt settings), at speeds ${spec.train.speeds.join('/')} wpm and pitches
  ${spec.train.pitches.join('/')}; per pass ${Math.round(spec.isolatedKeep * 100)}% of the vocabulary words in isolation plus ${spec.connectedPerPass} connected
  strings (digit strings of 2–8 digits and short word sequences)${spec.fastConnected ? `, and in ${Math.round(spec.fastConnected.share * 100)}% of passes
  ${spec.connectedPerPass} more at ${spec.fastConnected.speeds.join('/')} wpm (fast speech: eSpeak's robot-rhythm variants say every
  syllable about that fast whatever the speed)` : ''}: ${r.corpus.isolated} isolated + ${r.corpus.connected} connected
  utterances, ${r.corpus.seconds.toFixed(0)} s of 8 kHz audio. Dev and test use other shipped variants (and, for English, other accents).${spec.flite ? `
  Also Flite (CMU) voices built from recordings of real speakers, ${spec.flite.train.map((v) => `\`${v}\``).join(', ')}, ${spec.flite.passesPerVoice} passes each at
  duration stretches ${spec.flite.stretches.train.join('/')} (same word share and connected strings per pass); Flite
  ${spec.flite.test.map((v) => `\`${v}\``).join(', ')} is held out for the benchmark.` : ''}${spec.id === 'zh' ? `
  Debian's eSpeak NG \`cmn\` dictionary reads most Hanzi as pinyin letters plus English tone
  digits, so the builder feeds pinyin with tone numbers to the Mandarin voice \`cmn-latn-pinyin\`.` : ''}
- **Augmentation** (fresh every epoch): speed perturbation 0.8–1.25 (75%), Schroeder
  reverberation (20%), telephone band-pass (30%), random peaking equalizer (35%), spectral tilt (40%), white / pink / brown / hum / babble noise at
  0–30 dB SNR (80%) or faint hiss, gain −24…+6 dB, G.711 µ-law (20%) or A-law (20%) round trip.
- **Features**: Kaldi MFCC, ${r.features?.numCeps ?? 13} ceps${(r.features?.numCeps ?? 13) === 23 ? ' (as many as mel bins: the whole log-mel spectrum, low harmonics and all)' : ''}${r.features?.pitch ? ` + Kaldi online pitch (3 dims; ${r.language === 'zh' ? 'the tones' : 'voicing and intonation'}; computed on every augmented copy, since noise changes what the tracker finds)` : ''}, 10 ms frames${r.features?.onlineCmvn ? ', online CMVN as libvosk applies it' : ''}; the net splices frames
  ${r.net.spliceOffsets.join(', ')} and is evaluated every 3rd frame.
- **Topology**: one whole-word left-to-right HMM per word (${Object.values(r.topology.statesPerWord).reduce((a, b) => a + b, 0)} states in all,
  ${Math.min(...Object.values(r.topology.statesPerWord))}–${Math.max(...Object.values(r.topology.statesPerWord))} per word, one per ~${(r.topology.framesPerState ?? 4) * 30} ms of median isolated duration) + a 1-state silence model; ${r.topology.pdfs} pdfs.
- **Network**: ${r.net.dims.join(' → ')} (ReLU, log-softmax), ${r.net.parameters} parameters, Adam
  (each minibatch's forward and backward pass one ONNX graph run by onnxruntime-web's WebAssembly SIMD kernels),
  ${(r.net.dropout ?? 0.1) > 0 ? `dropout ${r.net.dropout ?? 0.1}` : 'no dropout (the net underfits; dropout 0.1 cost accuracy)'}; input normalization folded into the first layer; priors from the final alignment.
- **Training passes**: flat start (${r.corpus.timedConnected ? `connected eSpeak NG strings cut where eSpeak says each word starts — ${r.corpus.timedConnected} of
  ${r.corpus.connected} strings, read from libespeak-ng's word events${r.corpus.timedConnected < r.corpus.connected ? ' — the rest in proportion to isolated word durations' : ''};
  uniform within a word` : 'uniform segmentation inside the speech region'}) → train → Viterbi re-alignment with the net${r.corpus.timedConnected ? `, each
  word of a timed string kept within 30 ms of where eSpeak put it (without that, the alignment of a repeated syllable,
  "yi1 yi1", drifted to wherever the net liked, and the net learned to merge repeats)` : ''} → retrain, ${r.passes.length} passes:
${r.passes.map((p, i) => `  - pass ${i}: ${p.epochs} epochs, ${p.frames} frames, loss ${p.meanLoss.toFixed(3)}${p.realigned !== undefined ? `, re-aligned ${p.realigned} utterances` : ''}`).join('\n')}
- **Decoding parameters** tuned on the dev set (voices/variants/speeds/pitches disjoint from
  both training and test), decoding through libvosk: acoustic scale ${r.dev.params.acousticScale}, word insertion
  penalty ${r.dev.params.wordCost}${r.languageModel ? ' (on top of the language model, whose likeliest continuation costs 0)' : ''}, transition scale ${r.dev.params.transitionScale}. Dev accuracy: clean connected ${f(d.clean.connected)},
  clean isolated ${f(d.clean.isolated)}, 10 dB connected ${f(d.snr10.connected)}, 10 dB isolated ${f(d.snr10.isolated)}.

## Held-out accuracy

Measured by \`npm run bench:speech\` through libvosk on voices, variants, speeds and pitches never
used in training or tuning (word accuracy = 1 − (S+D+I)/N):

${accuracy}

## Limits

- Synthetic voices only. Real callers, accents, background talk and spontaneous speech will do
  clearly worse; treat these figures as an upper bound.
- One build's figures: the same recipe built with other seeds has landed up to about two points away
  (docs/benchmarks.md, "Speech accuracy across build seeds"; \`npm run bench:speech-seeds\`).
- Closed vocabulary: anything else is forced onto the nearest vocabulary word (no garbage model).
- Install a real Vosk model for production use.
`;
  writeFileSync(path, card);
}

/** What Gr.fst holds, for the layout section. */
function lmText(r: LanguageBuildReport): string {
  const lm = r.languageModel;
  if (!lm) return 'a word loop (with the tuned word insertion penalty)';
  const p = (h: number, c: number): string => (lm.probabilities[h]?.[c] ?? 0).toFixed(3);
  return `the language model of free recognition: a class bigram (digits / other words) estimated
  from the training transcripts — P(digit | start) ${p(0, 0)}, P(digit | digit) ${p(1, 0)}, P(other word | digit) ${p(1, 1)},
  P(end | digit) ${p(1, 2)}, P(digit | other word) ${p(2, 0)}, P(end | other word) ${p(2, 2)}, uniform within a class
  (so after a digit another digit is far likelier than a command word) — plus the tuned word
  insertion penalty`;
}

/** Replaces the accuracy block of a model card (used by the benchmark). */
export function updateModelCardAccuracy(dir: string, block: string): void {
  const path = join(dir, 'MODEL_CARD.md');
  if (!existsSync(path)) return;
  const old = readFileSync(path, 'utf8');
  const a = old.indexOf(ACCURACY_START), b = old.indexOf(ACCURACY_END);
  if (a < 0 || b < a) return;
  writeFileSync(path, old.slice(0, a) + `${ACCURACY_START}\n${block}\n${ACCURACY_END}` + old.slice(b + ACCURACY_END.length));
}
