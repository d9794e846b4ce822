// Turns the DTMF keys a caller presses into call input: digits up to the terminator (or a pause)
// become one message; "*" then a digit switches the call's language. Timers are injected so
// tests control time.
import type { SpeechLanguage } from '../config.ts';

export type DtmfAction = { type: 'submit'; digits: string } | { type: 'switch_language'; language: SpeechLanguage };

export interface DtmfOptions {
  terminator: '#' | '*';
  interDigitTimeoutMs: number;
  languageKeys: Record<string, SpeechLanguage>;
  onAction(action: DtmfAction): void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class DtmfCollector {
  private digits = '';
  private command = false;
  private timer: unknown = null;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: DtmfOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  push(digit: string): void {
    this.stopTimer();
    if (this.command) {
      this.command = false;
      const language = this.options.languageKeys[digit];
      if (language) this.options.onAction({ type: 'switch_language', language });
      return;
    }
    if (digit === this.options.terminator) return this.submit();
    // "*" opens a command only at the start of input; inside digits it is just a key.
    if (digit === '*' && this.digits === '') {
      this.command = true;
      this.timer = this.setTimer(() => (this.command = false), this.options.interDigitTimeoutMs);
      return;
    }
    this.digits += digit;
    this.timer = this.setTimer(() => this.submit(), this.options.interDigitTimeoutMs);
  }

  clear(): void {
    this.stopTimer();
    this.digits = '';
    this.command = false;
  }

  private submit(): void {
    this.stopTimer();
    const digits = this.digits;
    this.digits = '';
    if (digits) this.options.onAction({ type: 'submit', digits });
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}
