// How the single executable's entry reads its command line before handing over to the app:
// which forked bundle to run, and whether the operator chose a models directory.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const MODELS_DIR_ENV = 'SWITCHBOARD_MODELS_DIR';

/** The bundle a forked child should run: an absolute *.mjs path inside the app tree, else null. */
export function sidecarScript(appDir: string, args: readonly string[]): string | null {
  const first = args[0];
  if (!first || !first.endsWith('.mjs') || !isAbsolute(first)) return null;
  const path = normalize(first);
  return path.startsWith(join(appDir, sep)) ? path : null;
}

/** The profile the CLI will load (--config PATH / --config=PATH, else SWITCHBOARD_CONFIG). */
export function profilePathFrom(args: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--config') return args[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  return env.SWITCHBOARD_CONFIG || undefined;
}

/** Whether the operator chose a models directory (env or profile); if not, the embedded demo models are the default. */
export function modelsDirChosen(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env[MODELS_DIR_ENV]) return true;
  const profile = profilePathFrom(args, env);
  if (!profile) return false;
  try {
    const doc: unknown = parseYaml(readFileSync(profile, 'utf8'));
    return typeof doc === 'object' && doc !== null && 'modelsDir' in doc;
  } catch {
    return true; // unreadable or invalid: leave the defaults alone and let the config loader report it
  }
}

