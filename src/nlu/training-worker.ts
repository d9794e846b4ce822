// Worker-thread entry: trains a model off the main event loop, persists it, and replies with
// its JSON form. One worker per training run, so the training garbage dies with the thread.
import { parentPort } from 'node:worker_threads';
import { trainModel } from './model.ts';
import { persistModel } from './model-store.ts';
import { trainRequestSchema, type TrainReply } from './training-protocol.ts';

const port = parentPort;
if (!port) throw new Error('training-worker must run in a worker thread');

port.on('message', (raw: unknown) => {
  port.postMessage(handle(raw));
});

function handle(raw: unknown): TrainReply {
  try {
    const request = trainRequestSchema.parse(raw);
    const started = performance.now();
    const model = trainModel(request.corpus, request.options, () => new Date(request.trainedAt)).toJSON();
    persistModel(request.modelPath, model);
    return { type: 'trained', model, trainedMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { type: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}
