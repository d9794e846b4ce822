// Getting an agent's attention for a new offer: a short two-tone beep made with WebAudio (no
// audio files on an offline appliance) and a blinking tab title until the offer is handled.

export class OfferAlert {
  private audio: AudioContext | null = null;
  private flashTimer: ReturnType<typeof setInterval> | null = null;
  private baseTitle: string;

  constructor(private readonly doc: Document) {
    this.baseTitle = doc.title;
  }

  /** Browsers only allow sound after a user gesture: call this from one (e.g. sign-in). */
  unlock(): void {
    const Ctx = window.AudioContext;
    if (!Ctx) return;
    this.audio ??= new Ctx();
    void this.audio.resume().catch(() => undefined);
  }

  setBaseTitle(title: string): void {
    this.baseTitle = title;
    if (!this.flashTimer) this.doc.title = title;
  }

  /** Beeps once and blinks the title with `message` until stop(). */
  start(message: string): void {
    this.beep();
    if (this.flashTimer) clearInterval(this.flashTimer);
    let on = true;
    this.doc.title = `● ${message}`;
    this.flashTimer = setInterval(() => {
      on = !on;
      this.doc.title = on ? `● ${message}` : this.baseTitle;
    }, 900);
  }

  stop(): void {
    if (this.flashTimer) clearInterval(this.flashTimer);
    this.flashTimer = null;
    this.doc.title = this.baseTitle;
  }

  /** A soft "ding-dong": two sine tones with quick attack and decay, about 0.4 s. */
  beep(): void {
    const ctx = this.audio;
    if (!ctx || ctx.state !== 'running') return;
    const at = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t0 = at + i * 0.18;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.22);
    }
  }
}
