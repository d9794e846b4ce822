// Parent-side handle of one recognizer process: spawns it, frames requests onto its pipe,
// matches replies (the process answers strictly in order, so one FIFO suffices), and reports
// its death with the tail of its stderr (libvosk's assertion text) so the pool can restart it.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from '../../ops/index.ts';
import { SpeechError, type SpeechErrorCode } from '../errors.ts';
import { FrameDecoder, encodeFrame, type IpcFrame } from './ipc-frame.ts';
import { FromRecognizer, Ready, RecognizerFailure, parsePayload } from './messages.ts';

export type ChildState = 'starting' | 'ready' | 'exited';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the pool killed it, when it did (hung request, protocol error, shutdown). */
  reason: string | null;
  stderrTail: string;
  uptimeMs: number;
}

interface PendingRequest {
  kind: number;
  streamId: number;
  sentAt: number;
  timeoutMs: number;
  resolve(frame: IpcFrame): void;
  reject(err: SpeechError): void;
}

export interface RecognizerEntry {
  file: string;
  execArgv: string[];
}

/** The child's entry: the .ts source under tsx in development/tests, the bundled .mjs in production. */
export function defaultRecognizerEntry(): RecognizerEntry {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { file: fileURLToPath(new URL('./speech-recognizer.mjs', here)), execArgv: [] };
  const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { file: fileURLToPath(new URL('../recognizer-process.ts', here)), execArgv: ['--import', tsx] };
}

const STDERR_TAIL_BYTES = 4096;

export class RecognizerChild {
  state: ChildState = 'starting';
  readonly ready: Promise<void>;
  private readonly proc: ChildProcess;
  private readonly pipe: Socket;
  private readonly decoder = new FrameDecoder();
  private readonly pending: PendingRequest[] = [];
  private readonly startedAt = Date.now();
  private stderrTail = '';
  private killReason: string | null = null;
  private corked = false;
  private exitListeners: Array<(exit: ChildExit) => void> = [];

  constructor(
    readonly slot: number,
    entry: RecognizerEntry,
    private readonly log: Logger,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.proc = fork(entry.file, [], {
      execArgv: entry.execArgv,
      env,
      // fd 3: Node IPC (only for orphan detection); fd 4: our binary frame pipe.
      stdio: ['ignore', 'inherit', 'pipe', 'ipc', 'pipe'],
    });
    const pipe = this.proc.stdio[4];
    if (!pipe) throw new Error('recognizer pipe missing');
    this.pipe = pipe as Socket;
    this.proc.stderr?.setEncoding('utf8');
    this.proc.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
    });

    let resolveReady!: () => void;
    let rejectReady!: (err: SpeechError) => void;
    this.ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    this.ready.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

    this.pipe.on('data', (chunk: Buffer) => {
      let frames: IpcFrame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        return this.kill(`corrupt frame from recognizer: ${(err as Error).message}`);
      }
      for (const frame of frames) {
        if (frame.kind === FromRecognizer.READY) {
          parsePayload(Ready, frame.payload);
          this.state = 'ready';
          resolveReady();
        } else if (frame.kind === FromRecognizer.FATAL) {
          const failure = parsePayload(RecognizerFailure, frame.payload);
          this.log.error({ slot, code: failure.code, reason: failure.message }, 'recognizer process cannot run libvosk');
          rejectReady(new SpeechError('SPEECH_ENGINE_UNAVAILABLE', failure.message));
        } else {
          this.settle(frame);
        }
      }
    });
    this.pipe.on('error', () => undefined); // the exit handler reports the death once
    this.proc.on('error', (err) => this.log.error({ err, slot }, 'recognizer process error'));
    this.proc.once('exit', (code, signal) => {
      this.state = 'exited';
      const exit: ChildExit = { code, signal, reason: this.killReason, stderrTail: this.stderrTail, uptimeMs: Date.now() - this.startedAt };
      const err = new SpeechError('SPEECH_ENGINE_RESTARTED', 'the speech recognizer process stopped; it is being restarted');
      rejectReady(err);
      for (const p of this.pending.splice(0)) p.reject(err);
      for (const l of this.exitListeners) l(exit);
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  onExit(listener: (exit: ChildExit) => void): void {
    this.exitListeners.push(listener);
  }

  /** Sends a request; resolves with the reply frame, rejects with the child's error or its death. */
  request(kind: number, streamId: number, payload: Uint8Array | undefined, timeoutMs: number): Promise<IpcFrame> {
    if (this.state === 'exited') return Promise.reject(new SpeechError('SPEECH_ENGINE_RESTARTED', 'the speech recognizer process stopped'));
    return new Promise<IpcFrame>((resolve, reject) => {
      this.pending.push({ kind, streamId, sentAt: Date.now(), timeoutMs, resolve, reject });
      this.write(encodeFrame(kind, streamId, payload));
    });
  }

  /** Sends a request that has no reply (CLOSE). */
  post(kind: number, streamId: number): void {
    if (this.state !== 'exited') this.write(encodeFrame(kind, streamId));
  }

  /** Frames written in the same tick (many streams' audio) leave in one write. */
  private write(frame: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.pipe.cork();
      process.nextTick(() => {
        this.corked = false;
        this.pipe.uncork();
      });
    }
    this.pipe.write(frame);
  }

  /** A request that has waited longer than its timeout means libvosk hangs: the pool kills us. */
  overdue(now: number): PendingRequest | undefined {
    const head = this.pending[0];
    return head && now - head.sentAt > head.timeoutMs ? head : undefined;
  }

  kill(reason: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.state === 'exited') return;
    this.killReason ??= reason;
    this.proc.kill(signal);
  }

  /** Graceful stop: closes the pipe (the child frees its models and exits), then kills after a grace period. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.state === 'exited') return;
    const exited = new Promise<void>((r) => this.onExit(() => r()));
    this.killReason ??= 'shutdown';
    this.pipe.end();
    const timer = setTimeout(() => this.kill('shutdown grace period over'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private settle(frame: IpcFrame): void {
    const head = this.pending.shift();
    if (!head || head.streamId !== frame.streamId) {
      return this.kill(`reply for stream ${frame.streamId} does not match the oldest request (stream ${head?.streamId ?? 'none'})`);
    }
    if (frame.kind === FromRecognizer.ERROR) {
      let failure: RecognizerFailure;
      try {
        failure = parsePayload(RecognizerFailure, frame.payload);
      } catch {
        failure = { code: 'SPEECH_RECOGNIZER_FAILED', message: 'unreadable recognizer error' };
      }
      head.reject(new SpeechError(knownCode(failure.code), failure.message));
      return;
    }
    head.resolve(frame);
  }
}

const CHILD_CODES: Record<string, SpeechErrorCode> = {
  SPEECH_MODEL_LOAD_FAILED: 'SPEECH_MODEL_LOAD_FAILED',
  SPEECH_RECOGNIZER_FAILED: 'SPEECH_RECOGNIZER_FAILED',
  SPEECH_RECOGNIZER_FREED: 'SPEECH_STREAM_CLOSED',
  SPEECH_STREAM_CLOSED: 'SPEECH_STREAM_CLOSED',
  LIBVOSK_NOT_FOUND: 'SPEECH_ENGINE_UNAVAILABLE',
  LIBVOSK_UNSUPPORTED_PLATFORM: 'SPEECH_ENGINE_UNAVAILABLE',
};

function knownCode(code: string): SpeechErrorCode {
  return CHILD_CODES[code] ?? 'SPEECH_RECOGNIZER_FAILED';
}

