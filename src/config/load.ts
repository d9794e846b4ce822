// Builds the effective configuration: schema defaults, then a YAML device profile, then
// SWITCHBOARD_* environment variables. Any bad value fails fast naming the field.
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { AppError } from '../errors/index.ts';
import { ConfigSchema, type Config } from './schema.ts';

/** Maps SWITCHBOARD_<OPTION> names (upper snake case, nested with __) onto config paths. */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('SWITCHBOARD_') || value === undefined) continue;
    if (name === 'SWITCHBOARD_CONFIG') continue;
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

export function parseConfig(raw: unknown, source = 'configuration'): Config {
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', reason: i.message }));
  const summary = issues.map((i) => `${i.field}: ${i.reason}`).join('; ');
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
  if (profilePath) {
    let text: string;
    try {
      text = readFileSync(profilePath, 'utf8');
    } catch (err) {
      throw new AppError('CONFIG_INVALID', `cannot read device profile ${profilePath}: ${(err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (err) {
      const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
      throw new AppError('CONFIG_INVALID', `device profile ${profilePath} is not valid YAML${where}: ${(err as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && !isPlainObject(parsed)) {
      throw new AppError('CONFIG_INVALID', `device profile ${profilePath} must be a YAML mapping`);
    }
    profile = (parsed as Record<string, unknown> | null) ?? {};
  }
  const merged = deepMerge(profile, normalizeBooleans(envOverrides(env)) as Record<string, unknown>);
  return parseConfig(merged, profilePath ? `configuration (profile ${profilePath} + environment)` : 'configuration (environment)');
}

