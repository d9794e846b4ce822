// Builds the effective configuration: schema defaults, then a YAML device profile, then
// SWITCHBOARD_* environment variables. Any bad value fails fast naming the field.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, YAMLParseError, isNode } from 'yaml';
import { AppError } from '../errors/index.ts';
import { ConfigSchema, type Config } from './schema.ts';

/**
 * SWITCHBOARD_* variables that are not config options: they steer the process around the
 * config (where the profile is, where natives are unpacked, which libvosk, build and test
 * inputs). Every other SWITCHBOARD_* variable must name an option, so a typo fails fast.
 */
export const RUNTIME_VARIABLES: ReadonlySet<string> = new Set([
  'SWITCHBOARD_CONFIG',
  'SWITCHBOARD_CACHE_DIR',
  'SWITCHBOARD_LIBVOSK_PATH',
  'SWITCHBOARD_LIBVOSK_ARM64',
  'SWITCHBOARD_LIBVOSK_ARM64_SHA256',
  'SWITCHBOARD_VOSK_LOG_LEVEL',
  'SWITCHBOARD_BUILD_CACHE',
  'SWITCHBOARD_TEST_SPEECH_MODELS',
]);

/** Maps SWITCHBOARD_<OPTION> names (upper snake case, nested with __) onto config paths. */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('SWITCHBOARD_') || value === undefined) continue;
    if (RUNTIME_VARIABLES.has(name)) continue;
    const path = name
      .slice('SWITCHBOARD_'.length)
      .split('__')
      .map((part) => part.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
    let node = out;
    path.slice(0, -1).forEach((key) => {
      const next = (node[key] ??= {}) as Record<string, unknown>;
      node = next;
    });
    node[path.at(-1)!] = value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

/** Env booleans arrive as strings; "false"/"0" must not coerce to true. */
function normalizeBooleans(value: unknown): unknown {
  if (typeof value === 'string' && /^(false|0|no|off)$/i.test(value)) return false;
  if (typeof value === 'string' && /^(true|1|yes|on)$/i.test(value)) return true;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeBooleans(v)]));
  return value;
}

/** The line of the profile file a config path came from, when it came from there. */
export type LocateField = (path: readonly PropertyKey[]) => number | null;

export function parseConfig(raw: unknown, source = 'configuration', locate?: LocateField): Config {
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const field = i.path.join('.') || '(root)';
    // An unknown key is reported on its parent: point at the key itself.
    const path = i.code === 'unrecognized_keys' && i.keys[0] !== undefined ? [...i.path, i.keys[0]] : i.path;
    const line = locate?.(path) ?? null;
    return line ? { field, reason: i.message, line } : { field, reason: i.message };
  });
  const summary = issues.map((i) => `${i.field}${'line' in i ? ` (line ${i.line})` : ''}: ${i.reason}`).join('; ');
  throw new AppError('CONFIG_INVALID', `invalid ${source}: ${summary}`, { issues });
}

export interface LoadConfigOptions {
  /** Path to a YAML device profile (firmware-config/*.yaml). Also read from SWITCHBOARD_CONFIG. */
  profilePath?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const profilePath = options.profilePath ?? env.SWITCHBOARD_CONFIG;
  let profile: Record<string, unknown> = {};
  let locate: LocateField | undefined;
  if (profilePath) {
    let text: string;
    try {
      text = readFileSync(profilePath, 'utf8');
    } catch (err) {
      throw new AppError('CONFIG_INVALID', `cannot read device profile ${profilePath}: ${(err as Error).message}`);
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: true });
    const syntax = doc.errors[0];
    if (syntax) {
      const where = syntax instanceof YAMLParseError && syntax.linePos ? ` at line ${syntax.linePos[0].line}` : '';
      throw new AppError('CONFIG_INVALID', `device profile ${profilePath} is not valid YAML${where}: ${syntax.message.split('\n')[0]}`);
    }
    const parsed: unknown = doc.toJS();
    if (parsed !== null && parsed !== undefined && !isPlainObject(parsed)) {
      throw new AppError('CONFIG_INVALID', `device profile ${profilePath} must be a YAML mapping`);
    }
    profile = (parsed as Record<string, unknown> | null) ?? {};
    locate = (path) => {
      // The deepest node of the path that exists in the file: an unknown key points at its parent.
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return null;
    };
  }
  const merged = deepMerge(profile, normalizeBooleans(envOverrides(env)) as Record<string, unknown>);
  return parseConfig(merged, profilePath ? `configuration (profile ${profilePath} + environment)` : 'configuration (environment)', locate);
}

