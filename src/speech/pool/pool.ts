// The supervised pool of recognizer processes: places streams on the least-loaded live process,
// refuses streams past capacity (SPEECH_BUSY), restarts a process that died or hung with
// exponential backoff, and fails only the streams that lived in it.
import type { Logger } from '../../ops/index.ts';
import { SpeechError } from '../errors.ts';
import type { SpeechMetrics } from '../metrics.ts';
import { RecognizerChild, defaultRecognizerEntry, type ChildExit, type RecognizerEntry } from './child.ts';
import { FromRecognizer, ToRecognizer, jsonPayload, type OpenStream } from './messages.ts';
import { RecognitionStream, type StreamOptions } from './stream.ts';

export interface RecognizerPoolOptions {
  /** The most recognizer processes the pool runs. */
  processes: number;
  /** Processes started by start(); the rest start on demand (default: all of them). */
  startProcesses?: number;
  maxStreams: number;
  requestTimeoutMs: number;
  /** Loading a big downloaded model can take far longer than recognizing a frame. */
  modelLoadTimeoutMs?: number;
  restartInitialBackoffMs: number;
  restartMaxBackoffMs: number;
  maxPendingFramesPerStream: number;
  /** Endpointing applied to every stream (see SpeechConfig.endpointing). */
  endpointing: { trailingSilenceMs: number; maxUtteranceMs: number };
  /** Model directories every process loads at start, so the first calls do not wait. */
  preloadModels?: string[];
  logger: Logger;
  metrics?: SpeechMetrics;
  entry?: RecognizerEntry;
  env?: NodeJS.ProcessEnv;
}

export interface PoolStatus {
  maxStreams: number;
  streams: number;
  processes: Array<{ slot: number; pid: number | undefined; state: string; streams: number; restarts: number }>;
}

/** A process that lived this long before dying is not crash-looping: its backoff starts over. */
const STABLE_AFTER_MS = 30_000;
const WATCHDOG_INTERVAL_MS = 500;

interface Slot {
  index: number;
  /** False until the pool first needs this process (idle boxes hold fewer model copies). */
  started: boolean;
  child: RecognizerChild | null;
  streams: Set<RecognitionStream>;
  /**
   * Streams being opened on this process (OPEN sent, not answered yet). They count toward its
   * load: without them, calls arriving together all saw the same counts and all went to the
   * first process, leaving the other core idle.
   */
  opening: number;
  restarts: number;
  consecutiveFailures: number;
  restartTimer: NodeJS.Timeout | null;
}

/** Streams a process serves or is opening. */
function load(slot: Slot): number {
  return slot.streams.size + slot.opening;
}

export class RecognizerPool {
  private readonly slots: Slot[];
  private readonly streams = new Set<RecognitionStream>();
  private nextStreamId = 1;
  private closing = false;
  private readonly watchdog: NodeJS.Timeout;
  private readonly log: Logger;
  private readonly entry: RecognizerEntry;

  constructor(private readonly options: RecognizerPoolOptions) {
    this.log = options.logger;
    this.entry = options.entry ?? defaultRecognizerEntry();
    this.slots = Array.from({ length: options.processes }, (_, index) => ({ index, started: false, child: null, streams: new Set(), opening: 0, restarts: 0, consecutiveFailures: 0, restartTimer: null }));
    this.watchdog = setInterval(() => this.checkOverdue(), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
  }

  /** Starts the boot processes and waits (bounded) until they are ready and have loaded the preload models. */
  async start(timeoutMs = 30_000): Promise<void> {
    const atBoot = Math.min(this.slots.length, Math.max(1, this.options.startProcesses ?? this.slots.length));
    for (const slot of this.slots.slice(0, atBoot)) this.spawn(slot);
    const all = Promise.allSettled(this.slots.map((s) => (s.child ? this.warmUp(s.child) : Promise.resolve())));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.warn({ timeoutMs }, 'recognizer processes not all ready in time; continuing (they keep starting)');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
  }

  get activeStreams(): number {
    return this.streams.size + this.slots.reduce((n, slot) => n + slot.opening, 0);
  }

  status(): PoolStatus {
    return {
      maxStreams: this.options.maxStreams,
      streams: this.streams.size,
      processes: this.slots.map((s) => ({ slot: s.index, pid: s.child?.pid, state: s.child?.state ?? (s.started ? 'restarting' : 'idle'), streams: s.streams.size, restarts: s.restarts })),
    };
  }

  /** Opens a stream on the least-loaded process (see leastLoaded). Throws SPEECH_BUSY past capacity. */
  async openStream(options: StreamOptions): Promise<RecognitionStream> {
    if (this.closing) throw new SpeechError('SPEECH_SHUTTING_DOWN', 'the speech service is shutting down');
    if (this.activeStreams >= this.options.maxStreams) {
      this.options.metrics?.streamsRefused.inc({ code: 'SPEECH_BUSY' });
      throw new SpeechError('SPEECH_BUSY', `all ${this.options.maxStreams} speech recognition slots are in use; try again shortly`, { maxStreams: this.options.maxStreams });
    }
    const slot = this.leastLoaded();
    this.growIfBusy(slot);
    if (!slot?.child) {
      this.options.metrics?.streamsRefused.inc({ code: 'SPEECH_ENGINE_UNAVAILABLE' });
      throw new SpeechError('SPEECH_ENGINE_UNAVAILABLE', 'no speech recognizer is running right now; try again shortly');
    }
    const child = slot.child;
    const id = this.nextStreamId;
    this.nextStreamId = this.nextStreamId >= 0xfffffff0 ? 1 : this.nextStreamId + 1;
    const open: OpenStream = {
      modelPath: options.model.path,
      frameSubsamplingFactor: options.model.frameSubsamplingFactor,
      sampleRate: options.sampleRate,
      encoding: options.encoding,
      ...(options.grammar ? { grammar: options.grammar } : {}),
      words: options.words,
      maxAlternatives: Math.max(1, options.maxAlternatives),
      trailingSilenceMs: this.options.endpointing.trailingSilenceMs,
      maxUtteranceMs: this.options.endpointing.maxUtteranceMs,
    };
    // Reserve the capacity (pool and process) before awaiting, so concurrent opens neither
    // overshoot maxStreams nor all pick the same process.
    slot.opening++;
    try {
      await child.request(ToRecognizer.OPEN, id, jsonPayload(open), this.options.modelLoadTimeoutMs ?? 120_000);
    } finally {
      slot.opening--;
    }
    if (child.state === 'exited') throw new SpeechError('SPEECH_ENGINE_RESTARTED', 'the speech recognizer process stopped while the stream was opening');
    const stream = new RecognitionStream(id, options, child, { requestTimeoutMs: this.options.requestTimeoutMs, maxPendingFrames: this.options.maxPendingFramesPerStream }, (s) => {
      if (this.streams.delete(s)) this.options.metrics?.streams.dec();
      slot.streams.delete(s);
    });
    this.streams.add(stream);
    slot.streams.add(stream);
    this.options.metrics?.streams.inc();
    return stream;
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.watchdog);
    for (const slot of this.slots) if (slot.restartTimer) clearTimeout(slot.restartTimer);
    for (const s of [...this.streams]) s.fail(new SpeechError('SPEECH_SHUTTING_DOWN', 'the speech service is shutting down'));
    await Promise.all(this.slots.map((s) => s.child?.stop()));
  }

  /**
   * The process a new stream goes to: the least loaded of those ready and those starting for
   * the first time (ready wins a tie). A process started on demand counts while it boots: a burst
   * of calls otherwise all landed on the one process already running, and streams never move, so
   * the other core stayed idle for as long as those calls lasted. A stream placed on a booting
   * process waits for it (its audio queues meanwhile). A process restarting after a failure is
   * left out until it is ready again: it may be crash-looping.
   */
  private leastLoaded(): Slot | undefined {
    let best: Slot | undefined;
    let bestRank = Infinity;
    for (const slot of this.slots) {
      const state = slot.child?.state;
      if (state !== 'ready' && !(state === 'starting' && slot.consecutiveFailures === 0)) continue;
      // load first; at equal load a ready process (0) before a booting one (1)
      const rank = 2 * load(slot) + (state === 'ready' ? 0 : 1);
      if (rank < bestRank) {
        best = slot;
        bestRank = rank;
      }
    }
    return best;
  }

  /** The least-loaded process already has work: start another (if allowed) for the calls to come. */
  private growIfBusy(leastLoaded: Slot | undefined): void {
    if (this.closing || (leastLoaded && load(leastLoaded) === 0)) return;
    const next = this.slots.find((s) => !s.started);
    if (!next) return;
    this.log.info({ slot: next.index }, 'starting another recognizer process for the load');
    this.spawn(next);
  }

  private spawn(slot: Slot): void {
    slot.started = true;
    const child = new RecognizerChild(slot.index, this.entry, this.log, this.options.env);
    slot.child = child;
    child.onExit((exit) => this.onChildExit(slot, child, exit));
    void this.warmUp(child);
  }

  private async warmUp(child: RecognizerChild): Promise<void> {
    try {
      await child.ready;
      for (const path of this.options.preloadModels ?? []) {
        const reply = await child.request(ToRecognizer.LOAD, 0, jsonPayload({ path }), this.options.modelLoadTimeoutMs ?? 120_000);
        if (reply.kind !== FromRecognizer.LOADED) throw new SpeechError('SPEECH_MODEL_LOAD_FAILED', `unexpected reply to LOAD: ${reply.kind}`);
      }
    } catch (err) {
      // A model that fails to load is reported to the streams that ask for it; here it is only logged.
      if (child.state !== 'exited') this.log.error({ err, slot: child.slot }, 'recognizer warm-up failed');
    }
  }

  private onChildExit(slot: Slot, child: RecognizerChild, exit: ChildExit): void {
    if (slot.child === child) slot.child = null;
    const failed = [...slot.streams];
    if (this.closing) return;
    const reason = exit.reason ?? (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`);
    this.options.metrics?.engineRestarts.inc({ reason: exit.reason ? 'killed' : exit.signal ? 'signal' : 'exit' });
    slot.consecutiveFailures = exit.uptimeMs >= STABLE_AFTER_MS ? 1 : slot.consecutiveFailures + 1;
    const delay = Math.min(this.options.restartMaxBackoffMs, this.options.restartInitialBackoffMs * 2 ** (slot.consecutiveFailures - 1));
    this.log.error(
      { slot: slot.index, pid: child.pid, reason, streams: failed.length, restartInMs: delay, stderr: exit.stderrTail.trim().split('\n').slice(-5).join('\n') },
      'recognizer process died; its streams are told and it is restarted',
    );
    const err = new SpeechError('SPEECH_ENGINE_RESTARTED', 'the speech recognizer handling this stream stopped and is being restarted; open a new stream');
    for (const s of failed) s.fail(err);
    slot.streams.clear();
    slot.restarts++;
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (!this.closing) this.spawn(slot);
    }, delay);
    slot.restartTimer.unref();
  }

  private checkOverdue(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      const overdue = slot.child?.overdue(now);
      if (overdue) slot.child?.kill(`request for stream ${overdue.streamId} unanswered after ${overdue.timeoutMs} ms`);
    }
  }
}
