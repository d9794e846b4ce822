// Chooses where a single executable unpacks its native libraries and app files: the first
// usable directory of a fixed list. "Usable" means we can create files there, nobody else can,
// and the filesystem allows mapping them executable (dlopen fails on a noexec mount).
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeError } from './errors.ts';

export const CACHE_DIR_ENV = 'SWITCHBOARD_CACHE_DIR';

export interface CacheDirCandidate {
  path: string;
  /** Where the path came from, for messages ("SWITCHBOARD_CACHE_DIR", "XDG_CACHE_HOME", …). */
  source: string;
  /** Chosen by the operator: if unusable, fail instead of trying the next one. */
  explicit: boolean;
}

export interface CacheDirContext {
  env: NodeJS.ProcessEnv;
  uid: number | null;
  tmpdir: string;
  /** The system-wide candidate; only tests change it. */
  systemDir?: string;
}

function defaultContext(): CacheDirContext {
  return { env: process.env, uid: typeof process.getuid === 'function' ? process.getuid() : null, tmpdir: tmpdir() };
}

/** In order: SWITCHBOARD_CACHE_DIR, systemd's CacheDirectory=, XDG cache, /var/cache, the temp dir. */
export function cacheDirCandidates(ctx: CacheDirContext = defaultContext()): CacheDirCandidate[] {
  const { env } = ctx;
  const out: CacheDirCandidate[] = [];
  if (env[CACHE_DIR_ENV]) return [{ path: env[CACHE_DIR_ENV], source: CACHE_DIR_ENV, explicit: true }];
  // systemd sets CACHE_DIRECTORY for units with CacheDirectory=switchboard (already owned by the unit's user).
  const systemd = env.CACHE_DIRECTORY?.split(':')[0];
  if (systemd) out.push({ path: systemd, source: 'CACHE_DIRECTORY (systemd)', explicit: false });
  if (env.XDG_CACHE_HOME) out.push({ path: join(env.XDG_CACHE_HOME, 'switchboard'), source: 'XDG_CACHE_HOME', explicit: false });
  else if (env.HOME && env.HOME !== '/') out.push({ path: join(env.HOME, '.cache', 'switchboard'), source: 'HOME/.cache (XDG default)', explicit: false });
  out.push({ path: ctx.systemDir ?? '/var/cache/switchboard', source: '/var/cache', explicit: false });
  out.push({ path: join(ctx.tmpdir, `switchboard-${ctx.uid ?? 'user'}`), source: 'temp dir', explicit: false });
  return out;
}

/** Mount options of the filesystem holding `path` (longest mount point prefix in /proc/self/mountinfo). */
export function mountOptionsOf(path: string, mountinfo?: string): string[] | null {
  let text = mountinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/mountinfo', 'utf8');
    } catch {
      return null; // not Linux, or /proc not mounted (a bare chroot): the probe below still catches the rest
    }
  }
  let best: { point: string; options: string[] } | null = null;
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const point = fields[4]?.replace(/\\040/g, ' ');
    const options = fields[5];
    if (!point || options === undefined) continue;
    const inside = point === '/' || path === point || path.startsWith(`${point}/`);
    if (inside && (!best || point.length >= best.point.length)) best = { point, options: options.split(',') };
  }
  return best?.options ?? null;
}

/** Why `dir` cannot hold the cache, or null when it can (creating it if needed). */
export function cacheDirProblem(dir: string, ctx: CacheDirContext = defaultContext()): string | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    return `cannot create it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  let real: string;
  try {
    real = realpathSync(dir);
    const st = statSync(real);
    if (!st.isDirectory()) return 'it is not a directory';
    // Code is loaded from here: a directory others can write to would let them swap it.
    if ((st.mode & 0o002) !== 0 || (ctx.uid !== null && st.uid !== ctx.uid && st.uid !== 0 && (st.mode & 0o020) !== 0)) {
      return 'it is writable by other users';
    }
    accessSync(real, constants.W_OK | constants.X_OK);
  } catch (err) {
    return `not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  const probe = join(real, `.probe-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(probe, '');
  } catch (err) {
    return `not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  } finally {
    rmSync(probe, { force: true });
  }
  const options = mountOptionsOf(real);
  if (options?.includes('noexec')) return 'its filesystem is mounted noexec, so native libraries cannot be loaded from it';
  return null;
}

/** The first usable candidate; throws NATIVE_CACHE_UNUSABLE naming every candidate and why it failed. */
export function resolveCacheDir(ctx: CacheDirContext = defaultContext()): string {
  const tried: string[] = [];
  for (const candidate of cacheDirCandidates(ctx)) {
    const problem = cacheDirProblem(candidate.path, ctx);
    if (problem === null) return realpathSync(candidate.path);
    if (candidate.explicit) {
      throw new NativeError('NATIVE_CACHE_UNUSABLE', `${candidate.source}=${candidate.path} cannot be used as the cache for native libraries: ${problem}. Point ${CACHE_DIR_ENV} at a writable directory on a filesystem without noexec, owned by this user.`);
    }
    tried.push(`${candidate.path} (${candidate.source}): ${problem}`);
  }
  throw new NativeError(
    'NATIVE_CACHE_UNUSABLE',
    `no usable cache directory for native libraries; tried ${tried.join('; ')}. Set ${CACHE_DIR_ENV} to a writable directory on a filesystem without noexec.`,
  );
}
