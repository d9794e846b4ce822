// A recognizer process gives the memory of a load spike back once the spike is over (glibc
// keeps freed heap otherwise): the policy, the host's calls to it, and the resident set size of
// a real process with real libvosk recognizers.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setVoskLogLevel } from '../../src/speech/libvosk.ts';
import { ToRecognizer, jsonPayload } from '../../src/speech/pool/messages.ts';
import { RecognizerHost, shouldReleaseMemory } from '../../src/speech/pool/recognizer-host.ts';
import { hostFrame as frame, hostOpenStream, REPO_ROOT, SPEECH_MODELS_DIR } from './support.ts';

const MODEL = join(SPEECH_MODELS_DIR, 'demo-en-8k');

describe('releasing a load spike’s memory', () => {
  it('releases when the process goes idle or falls to a quarter of its peak', () => {
    const cases: [streams: number, peak: number, release: boolean][] = [
      [0, 0, false], // nothing ever open
      [0, 1, true],
      [5, 5, false], // no fewer than the peak
      [3, 8, false],
      [2, 8, true],
      [60, 240, true],
      [61, 240, false],
    ];
    for (const [streams, peak, release] of cases) expect(shouldReleaseMemory(streams, peak), `${streams} of ${peak}`).toBe(release);
  });

  it('asks for a release as a close storm passes a quarter of the peak and at idle', () => {
    setVoskLogLevel(-2);
    let releases = 0;
    const host = new RecognizerHost(() => {}, () => void releases++);
    const open = hostOpenStream(MODEL, false);
    try {
      for (let id = 1; id <= 8; id++) host.handle(frame(ToRecognizer.OPEN, id, jsonPayload(open)));
      const afterClosing: number[] = [];
      for (let id = 1; id <= 8; id++) {
        host.handle(frame(ToRecognizer.CLOSE, id));
        afterClosing.push(releases);
      }
      // 8 -> 2 left (a quarter): one release, peak now 2; 2 -> 0 (idle): another
      expect(afterClosing).toEqual([0, 0, 0, 0, 0, 1, 1, 2]);
      // a stream that comes and goes alone releases once, on its close
      host.handle(frame(ToRecognizer.OPEN, 9, jsonPayload(open)));
      host.handle(frame(ToRecognizer.CLOSE, 9));
      expect(releases).toBe(3);
    } finally {
      host.closeAll();
    }
  });

  it('a real recognizer process returns to about its idle size after 160 streams close', () => {
    const run = (mode: 'release' | 'keep') =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/speech/fixtures/host-memory.ts'), MODEL, '160', mode], { cwd: REPO_ROOT, encoding: 'utf8' }),
      ) as { before: number; peak: number; after: number; streams: number };
    const released = run('release');
    const kept = run('keep');
    for (const r of [released, kept]) {
      expect(r.streams).toBe(0);
      expect(r.peak - r.before, 'the streams took memory').toBeGreaterThan(50);
    }
    // with the release, at most a quarter of the spike stays; without it, most of it would
    expect(released.after - released.before).toBeLessThan((released.peak - released.before) / 4);
    expect(kept.after - kept.before).toBeGreaterThan(((kept.peak - kept.before) * 3) / 4);
  });
});
