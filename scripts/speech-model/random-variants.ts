// Random eSpeak NG voice variants for training: each one scales every formant's frequency,
// height and width independently, reshapes the spectrum ("tone"), and varies pitch, roughness,
// flutter, echo and the Klatt synthesizer — many more synthetic "speakers" than the ~100 shipped
// variants, which are kept for dev and held-out test. They live in a private copy of
// espeak-ng-data (symlinks + the new variant files) passed to espeak-ng with --path.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from './rng.ts';
import { ESPEAK } from './synth.ts';

/** The system espeak-ng-data directory (from `espeak-ng --version`). */
export function systemEspeakData(): string {
  const out = execFileSync(ESPEAK, ['--version'], { encoding: 'utf8' });
  const m = /Data at:\s*(\S+)/.exec(out);
  if (m?.[1] && existsSync(m[1])) return m[1];
  for (const p of ['/usr/lib/x86_64-linux-gnu/espeak-ng-data', '/usr/share/espeak-ng-data', '/usr/lib/aarch64-linux-gnu/espeak-ng-data']) if (existsSync(p)) return p;
  throw new Error('cannot find espeak-ng-data');
}

function randomVariantText(name: string, rng: Rng): string {
  const r = (lo: number, hi: number): number => Math.round(rng.uniform(lo, hi));
  const female = rng.next() < 0.45;
  const base = female ? r(150, 230) : r(70, 140);
  const lines = ['language variant', `name ${name}`, `gender ${female ? 'female' : 'male'}`, `pitch ${base} ${base + r(15, 90)}`];
  // Vocal-tract length: one factor moves all formants together (×0.62 a giant … ×1.45 a child),
  // as eSpeak's deepest and highest shipped variants do; each formant then jitters around it.
  // Independent per-formant factors alone average out and never reach those voices.
  const tract = (female ? 1.12 : 1) * Math.exp(rng.uniform(Math.log(0.62), Math.log(1.45)));
  // F1 on its own (open/closed vowel quality), sometimes far off as in "kaukovalta" (×0.4).
  const f1 = rng.next() < 0.25 ? Math.exp(rng.uniform(Math.log(0.35), Math.log(1.6))) : 1;
  // A quarter of the voices are "odd" the way several shipped variants are: higher formants
  // moved far (×0.1…×3) or switched off (height 0), which reshapes the whole spectrum.
  const odd = rng.next() < 0.25;
  for (let k = 0; k <= 8; k++) {
    let freq = Math.round(100 * tract * (k === 1 ? f1 : 1) * rng.uniform(0.85, 1.18));
    let height = r(60, 150);
    if (odd && k >= 3 && rng.next() < 0.35) freq = Math.round(100 * Math.exp(rng.uniform(Math.log(0.1), Math.log(3))));
    if (odd && k >= 3 && rng.next() < 0.3) height = 0;
    lines.push(`formant ${k} ${freq} ${height} ${r(70, 140)}`);
  }
  if (rng.next() < 0.6) lines.push(`tone ${r(100, 700)} ${r(40, 255)} ${r(700, 1600)} ${r(40, 255)} ${r(1800, 2800)} ${r(30, 220)} ${r(3000, 3800)} ${r(30, 200)}`);
  if (rng.next() < 0.4) lines.push(`roughness ${r(0, 5)}`);
  if (rng.next() < 0.4) lines.push(`flutter ${r(0, 25)}`);
  if (rng.next() < 0.25) lines.push(`echo ${r(10, 200)} ${r(5, 40)}`);
  if (rng.next() < 0.2) lines.push(`klatt ${r(1, 4)}`);
  if (rng.next() < 0.3) lines.push(`voicing ${r(70, 150)}`);
  if (rng.next() < 0.3) lines.push(`consonants ${r(50, 150)} ${r(50, 150)}`);
  if (rng.next() < 0.1) lines.push(`breath ${Array.from({ length: 6 }, () => r(0, 40)).join(' ')}`);
  if (rng.next() < 0.3) lines.push(`intonation ${r(1, 4)}`);
  // stress: how much longer / louder stressed syllables are (changes rhythm and loudness contours)
  if (rng.next() < 0.35) lines.push(`stressAdd ${Array.from({ length: 8 }, () => r(-20, 200)).join(' ')}`);
  if (rng.next() < 0.35) lines.push(`stressAmp ${Array.from({ length: 8 }, () => r(12, 36)).join(' ')}`);
  return lines.join('\n') + '\n';
}

/**
 * Creates `<dir>/espeak-ng-data` with `count` random variants named `<prefix>0..`; returns the
 * --path value and the variant names.
 */
export function prepareRandomVariants(dir: string, prefix: string, count: number, rng: Rng): { dataPath: string; variants: string[] } {
  if (count > 200) throw new Error('too many generated variants for one espeak-ng data dir (voice list limit 350)');
  const sys = systemEspeakData();
  const data = join(dir, 'espeak-ng-data');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(data, 'voices', '!v'), { recursive: true });
  for (const e of readdirSync(sys)) if (e !== 'voices') symlinkSync(join(sys, e), join(data, e));
  // Only the generated variants go in voices/ (no mbrola list, no shipped variants): espeak-ng
  // silently stops listing voices past 350 entries, and then ignores the variant.
  const variants: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${i}`;
    writeFileSync(join(data, 'voices', '!v', name), randomVariantText(name, rng));
    variants.push(name);
  }
  return { dataPath: dir, variants };
}
