// The persisted model file. Written to a temporary file and renamed into place so a crash or
// power cut mid-write leaves the previous model, never a truncated one.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { SerializedModel } from './model-format.ts';

export function persistModel(path: string, model: SerializedModel): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}-${threadId}.tmp`;
  writeFileSync(temp, JSON.stringify(model));
  renameSync(temp, path);
}

/** The file's text, or null when there is none yet. */
export function readPersistedModel(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
