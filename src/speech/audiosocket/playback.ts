// Plays synthesized replies to the caller in real time: 20 ms slin frames (320 bytes at 8 kHz),
// paced against the clock (not chained timeouts, which drift), and stoppable at once when the
// caller starts talking (barge-in).

export type PlaybackOutcome = 'finished' | 'interrupted';

export interface PlaybackOptions {
  sampleRate: number;
  frameMs?: number;
  /** Writes one frame of PCM16LE audio to the caller. */
  write(frame: Buffer): void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Clip {
  pcm: Buffer;
  offset: number;
  done(outcome: PlaybackOutcome): void;
}

export class Playback {
  private readonly queue: Clip[] = [];
  private readonly frameBytes: number;
  private readonly frameMs: number;
  private timer: unknown = null;
  private startedAt = 0;
  private framesSent = 0;
  private closed = false;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: PlaybackOptions) {
    this.frameMs = options.frameMs ?? 20;
    this.frameBytes = ((options.sampleRate * this.frameMs) / 1000) * 2;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  get playing(): boolean {
    return this.queue.length > 0;
  }

  /** Queues a clip after whatever is playing; resolves when it has been sent or was cut off. */
  play(samples: Int16Array): Promise<PlaybackOutcome> {
    if (this.closed || samples.length === 0) return Promise.resolve(this.closed ? 'interrupted' : 'finished');
    const pcm = Buffer.alloc(samples.length * 2);
    for (let i = 0; i < samples.length; i++) pcm.writeInt16LE(samples[i] ?? 0, i * 2);
    return new Promise((done) => {
      this.queue.push({ pcm, offset: 0, done });
      if (this.timer === null) {
        this.startedAt = this.now();
        this.framesSent = 0;
        this.tick();
      }
    });
  }

  /** Barge-in: drops everything queued at once. */
  stop(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    for (const clip of this.queue.splice(0)) clip.done('interrupted');
  }

  close(): void {
    this.closed = true;
    this.stop();
  }

  private tick(): void {
    this.timer = null;
    const clip = this.queue[0];
    if (!clip) return;
    const frame = Buffer.alloc(this.frameBytes); // zero-padded: the last frame of a clip is usually short
    clip.pcm.copy(frame, 0, clip.offset, Math.min(clip.pcm.byteLength, clip.offset + this.frameBytes));
    clip.offset += this.frameBytes;
    this.options.write(frame);
    this.framesSent++;
    if (clip.offset >= clip.pcm.byteLength) {
      this.queue.shift();
      clip.done('finished');
    }
    if (this.queue.length === 0) return;
    const due = this.startedAt + this.framesSent * this.frameMs;
    this.timer = this.setTimer(() => this.tick(), Math.max(0, due - this.now()));
  }
}
