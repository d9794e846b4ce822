// Offline text-to-speech for calls: eSpeak NG renders the reply and sox converts it to
// telephony slin. Both run as separate processes (eSpeak NG is GPL; it stays out of the
// appliance binary, and synthesis never runs on the event loop). Bounded concurrency and a
// timeout per synthesis; a small cache because greetings repeat on every call.
import { spawn } from 'node:child_process';
import type { Logger } from '../ops/index.ts';
import type { SpeechConfig, SpeechLanguage } from './config.ts';
import { isPinyinVoice, toTonedPinyin } from './pinyin.ts';

export type TtsConfig = SpeechConfig['tts'];

export class TtsError extends Error {
  constructor(
    readonly code: 'TTS_FAILED' | 'TTS_TIMEOUT' | 'TTS_BUSY',
    message: string,
  ) {
    super(message);
    this.name = 'TtsError';
  }
}

export interface SpeechSynthesizer {
  /** PCM16 mono samples of `text` spoken in `language`, at `sampleRate`. */
  synthesize(text: string, language: SpeechLanguage, sampleRate: number): Promise<Int16Array>;
}

/** Requests that may wait for a free synthesis process before new ones are refused. */
const MAX_QUEUED = 64;

export class EspeakTts implements SpeechSynthesizer {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly cache = new Map<string, Int16Array>();

  constructor(
    private readonly config: TtsConfig,
    private readonly log: Logger,
  ) {}

  async synthesize(text: string, language: SpeechLanguage, sampleRate: number): Promise<Int16Array> {
    const voice = this.config.voices[language];
    const spoken = isPinyinVoice(voice) ? toTonedPinyin(text) : text;
    const key = `${voice}|${sampleRate}|${this.config.wordsPerMinute}|${spoken}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // re-insert: Map order is the LRU order
      this.cache.set(key, hit);
      return hit;
    }
    await this.acquire();
    try {
      const pcm = await this.render(spoken, voice, sampleRate);
      if (this.config.cacheEntries > 0) {
        this.cache.set(key, pcm);
        if (this.cache.size > this.config.cacheEntries) this.cache.delete(this.cache.keys().next().value as string);
      }
      return pcm;
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.config.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= MAX_QUEUED) return Promise.reject(new TtsError('TTS_BUSY', 'too many speech syntheses waiting'));
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private render(text: string, voice: string, sampleRate: number): Promise<Int16Array> {
    return new Promise((resolve, reject) => {
      // Text goes in on stdin: never interpreted as options, no argv length limit.
      const espeak = spawn(this.config.command, ['-v', voice, '-s', String(this.config.wordsPerMinute), '--stdin', '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const sox = spawn(this.config.resampleCommand, ['-q', '-D', '-t', 'wav', '-', '-t', 'raw', '-r', String(sampleRate), '-e', 'signed-integer', '-b', '16', '-c', '1', '-L', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      let settled = false;
      const finish = (err: TtsError | null, pcm?: Int16Array) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          espeak.kill('SIGKILL');
          sox.kill('SIGKILL');
          this.log.warn({ code: err.code, reason: err.message, voice }, 'speech synthesis failed');
          reject(err);
        } else if (pcm) resolve(pcm);
      };
      const timer = setTimeout(() => finish(new TtsError('TTS_TIMEOUT', `synthesis took longer than ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
      espeak.on('error', (e) => finish(new TtsError('TTS_FAILED', `cannot run ${this.config.command}: ${e.message} (Debian package espeak-ng)`)));
      sox.on('error', (e) => finish(new TtsError('TTS_FAILED', `cannot run ${this.config.resampleCommand}: ${e.message} (Debian package sox)`)));
      espeak.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
      sox.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
      espeak.stdout.pipe(sox.stdin);
      sox.stdin.on('error', () => undefined); // sox died: reported by its exit code
      espeak.stdin.on('error', () => undefined);
      sox.stdout.on('data', (d: Buffer) => chunks.push(d));
      sox.on('close', (code) => {
        if (code !== 0) return finish(new TtsError('TTS_FAILED', `${this.config.resampleCommand} exited with ${code}: ${stderr.trim()}`));
        const bytes = Buffer.concat(chunks);
        const pcm = new Int16Array(bytes.byteLength >> 1);
        for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(i * 2);
        finish(null, pcm);
      });
      espeak.on('close', (code) => {
        if (code !== 0 && code !== null) finish(new TtsError('TTS_FAILED', `${this.config.command} exited with ${code}: ${stderr.trim()}`));
      });
      espeak.stdin.end(text.replace(/\s+/g, ' ').trim() + '\n', 'utf8');
    });
  }
}
