// NluService: the model the application talks to. It serves understand() synchronously from
// the current model while retraining happens in a worker thread; the new model replaces the
// old one in a single assignment once it is trained and persisted.
//
// Concurrent retrain() calls are coalesced, not rejected: while one run trains, later calls
// share one follow-up run on the most recent corpus (knowledge updates arrive in bursts and
// only the latest state matters). Every caller's promise settles with the run that included
// its corpus.
import type { Worker } from 'node:worker_threads';
import { AppError } from '../errors/index.ts';
import { silentLogger, type Logger } from '../ops/logger.ts';
import { loadModel, modelVersion, resolveTrainOptions, type TrainedModel, type TrainOptionsInput, type UnderstandOptions } from './model.ts';
import { readPersistedModel } from './model-store.ts';
import { spawnTrainingWorker } from './spawn-training-worker.ts';
import { trainReplySchema, type TrainReply, type TrainRequest } from './training-protocol.ts';
import type { TrainingCorpus, Understanding } from './types.ts';

export interface NluServiceOptions {
  /** JSON file the trained model is persisted to and reloaded from. */
  modelPath: string;
  logger?: Logger;
  trainOptions?: TrainOptionsInput;
  /** Clock for model timestamps and for relative dates when the caller gives none. */
  now?: () => Date;
  /** A training run that takes longer is abandoned (its worker terminated). */
  trainingTimeoutMs?: number;
}

export interface RetrainResult {
  version: string;
  trainedMs: number;
}

export interface NluStatus {
  ready: boolean;
  version: string | null;
  trainedAt: string | null;
  training: boolean;
  /** Number of intents the current model answers with (0 when not ready). */
  intents: number;
}

interface FollowUp {
  corpus: TrainingCorpus;
  promise: Promise<RetrainResult>;
  resolve: (result: RetrainResult) => void;
  reject: (err: unknown) => void;
}

const DEFAULT_TRAINING_TIMEOUT_MS = 10 * 60_000;

export class NluService {
  private model: TrainedModel | null = null;
  private running: Promise<RetrainResult> | null = null;
  private followUp: FollowUp | null = null;
  private worker: Worker | null = null;
  private closed = false;
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(private readonly options: NluServiceOptions) {
    this.log = (options.logger ?? silentLogger).child({ module: 'nlu' });
    this.now = options.now ?? (() => new Date());
  }

  /** Loads the persisted model if it was trained from this corpus with these options;
   * otherwise (no file, other corpus, unreadable file) trains one. A readable but stale model
   * serves until its replacement is ready; training failures reject. */
  async start(corpus: TrainingCorpus): Promise<void> {
    const expected = modelVersion(corpus, resolveTrainOptions(this.options.trainOptions));
    const persisted = this.loadPersisted();
    if (persisted?.version === expected) {
      this.model = persisted;
      this.log.info({ version: persisted.version, intents: persisted.intents.length }, 'loaded persisted NLU model');
      return;
    }
    if (persisted) {
      // Answer with the stale model while the new one trains: no downtime after a KB update.
      this.model = persisted;
      this.log.info({ persisted: persisted.version, expected }, 'corpus or options changed; retraining NLU model');
    }
    await this.retrain(corpus);
  }

  understand(text: string, options: UnderstandOptions = {}): Understanding {
    if (!this.model) throw new AppError('NLU_NOT_READY', 'the NLU model is not trained yet');
    return this.model.understand(text, { ...options, referenceDate: options.referenceDate ?? this.now() });
  }

  retrain(corpus: TrainingCorpus): Promise<RetrainResult> {
    if (this.closed) return Promise.reject(new AppError('SERVICE_UNAVAILABLE', 'the NLU service is closed'));
    if (!this.running) return this.run(corpus);
    if (this.followUp) {
      this.followUp.corpus = corpus;
      return this.followUp.promise;
    }
    let resolve!: FollowUp['resolve'];
    let reject!: FollowUp['reject'];
    const promise = new Promise<RetrainResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.followUp = { corpus, promise, resolve, reject };
    return promise;
  }

  /** The model answering right now (for diagnostics and benchmarks), or null before start. */
  get currentModel(): TrainedModel | null {
    return this.model;
  }

  status(): NluStatus {
    return {
      ready: this.model !== null,
      version: this.model?.version ?? null,
      trainedAt: this.model?.trainedAt ?? null,
      training: this.running !== null,
      intents: this.model?.intents.length ?? 0,
    };
  }

  /** Stops any training run; pending retrain() calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    const followUp = this.followUp;
    this.followUp = null;
    followUp?.reject(new AppError('SERVICE_UNAVAILABLE', 'the NLU service was closed'));
    await this.worker?.terminate();
    this.worker = null;
  }

  private loadPersisted(): TrainedModel | null {
    try {
      const text = readPersistedModel(this.options.modelPath);
      return text === null ? null : loadModel(text);
    } catch (err) {
      // A damaged file must not keep the appliance from starting: train a fresh model instead.
      this.log.warn({ err, modelPath: this.options.modelPath }, 'persisted NLU model unreadable; retraining');
      return null;
    }
  }

  private run(corpus: TrainingCorpus): Promise<RetrainResult> {
    const run = this.trainInWorker(corpus).finally(() => {
      this.running = null;
      const next = this.followUp;
      this.followUp = null;
      if (next && !this.closed) this.run(next.corpus).then(next.resolve, next.reject);
    });
    this.running = run;
    return run;
  }

  private async trainInWorker(corpus: TrainingCorpus): Promise<RetrainResult> {
    const request: TrainRequest = {
      type: 'train',
      corpus,
      options: this.options.trainOptions ?? {},
      trainedAt: this.now().toISOString(),
      modelPath: this.options.modelPath,
    };
    this.log.info({ intents: corpus.intents.length }, 'training NLU model');
    const reply = await this.exchange(request);
    if (reply.type === 'failed') {
      this.log.error({ reason: reply.message }, 'NLU training failed');
      throw new AppError('NLU_TRAINING_FAILED', `NLU training failed: ${reply.message}`);
    }
    const model = loadModel(reply.model);
    // The swap: understand() calls before this line use the old model, after it the new one.
    this.model = model;
    this.log.info({ version: model.version, trainedMs: reply.trainedMs, intents: model.intents.length }, 'NLU model trained');
    return { version: model.version, trainedMs: reply.trainedMs };
  }

  /** Sends one request to a fresh worker and waits (bounded) for its reply. */
  private exchange(request: TrainRequest): Promise<TrainReply> {
    const timeoutMs = this.options.trainingTimeoutMs ?? DEFAULT_TRAINING_TIMEOUT_MS;
    const worker = spawnTrainingWorker();
    this.worker = worker;
    const reply = new Promise<TrainReply>((resolve, reject) => {
      const fail = (detail: string, cause?: unknown): void => {
        clearTimeout(timer);
        reject(new AppError('NLU_TRAINING_FAILED', `NLU training failed: ${detail}`, undefined, { cause }));
      };
      const timer = setTimeout(() => fail(`no result within ${timeoutMs} ms`), timeoutMs);
      worker.once('message', (raw: unknown) => {
        clearTimeout(timer);
        const parsed = trainReplySchema.safeParse(raw);
        if (parsed.success) resolve(parsed.data);
        else fail('malformed reply from the training worker', parsed.error);
      });
      worker.once('error', (err) => fail(err.message, err));
      // After a reply this rejection is a no-op; before one it means the worker died.
      worker.once('exit', (code) => fail(this.closed ? 'the service was closed' : `training worker exited (code ${code})`));
      worker.postMessage(request);
    });
    return reply.finally(() => {
      if (this.worker === worker) this.worker = null;
      void worker.terminate();
    });
  }
}
