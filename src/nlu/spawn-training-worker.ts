// Starts the training worker both from source (vitest/tsx: the .ts entry) and from the esbuild
// bundle (dist/switchboard.mjs beside dist/nlu-training-worker.mjs).
//
// From source the worker must load TypeScript. `new Worker(url, { execArgv: ['--import', 'tsx'] })`
// does not work on Node 20 (measured on 20.20: the worker's entry is resolved before tsx's
// hooks apply → ERR_UNKNOWN_FILE_EXTENSION), so a two-line bootstrap registers tsx inside the
// worker and then imports the entry. Source mode resolves `tsx` from the working directory,
// i.e. it is for running from the repository (dev, tests, benchmarks), not for deployments.
import { Worker } from 'node:worker_threads';

export function spawnTrainingWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./nlu-training-worker.mjs', here));
  const entry = new URL('./training-worker.ts', here).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
