import { describe, expect, it } from 'vitest';
import { Playback } from '../../src/speech/audiosocket/playback.ts';

function fakeTime() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let id = 0;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      timers.push({ at: now + ms, fn, id: ++id });
      return id;
    },
    clearTimer: (h: unknown) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        now = t.at;
        t.fn();
      }
      now = end;
    },
  };
}

describe('paced playback', () => {
  it('sends 20 ms frames of 320 bytes at 8 kHz, in real time, zero-padding the last', async () => {
    const time = fakeTime();
    const frames: Array<{ at: number; bytes: number }> = [];
    const playback = new Playback({ sampleRate: 8000, write: (f) => frames.push({ at: time.now(), bytes: f.byteLength }), ...time });
    const done = playback.play(new Int16Array(8000 / 10 + 10)); // 100 ms + 10 samples → 6 frames
    expect(frames).toHaveLength(1); // the first frame goes out at once
    time.advance(99);
    expect(frames).toHaveLength(5);
    time.advance(20);
    await expect(done).resolves.toBe('finished');
    expect(frames.map((f) => f.at)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(frames.every((f) => f.bytes === 320)).toBe(true);
    expect(playback.playing).toBe(false);
  });

  it('stops at once on barge-in and drops queued clips', async () => {
    const time = fakeTime();
    let sent = 0;
    const playback = new Playback({ sampleRate: 8000, write: () => sent++, ...time });
    const first = playback.play(new Int16Array(8000));
    const second = playback.play(new Int16Array(8000));
    time.advance(100);
    playback.stop();
    await expect(first).resolves.toBe('interrupted');
    await expect(second).resolves.toBe('interrupted');
    const atStop = sent;
    time.advance(1000);
    expect(sent).toBe(atStop);
    expect(atStop).toBe(6);
  });
});
