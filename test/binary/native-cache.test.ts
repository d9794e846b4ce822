// src/native without a binary: cache directory choice, once-only unpacking keyed by sha256,
// manifest validation, and how the binary's entry reads its command line.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelsDirChosen, profilePathFrom, sidecarScript } from '../../src/native/entry-args.ts';
import { cacheDirCandidates, extractNative, extractTree, isSingleExecutable, mountOptionsOf, nativeLocations, NativeError, parseManifest, resolveCacheDir } from '../../src/native/index.ts';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sb-native-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('cache directory', () => {
  const ctx = (env: NodeJS.ProcessEnv) => ({ env, uid: 1000, tmpdir: '/tmp' });

  it.each([
    [{ SWITCHBOARD_CACHE_DIR: '/srv/c', XDG_CACHE_HOME: '/x' }, ['/srv/c']],
    [{ XDG_CACHE_HOME: '/x', HOME: '/home/u' }, ['/x/switchboard', '/var/cache/switchboard', '/tmp/switchboard-1000']],
    [{ HOME: '/home/u' }, ['/home/u/.cache/switchboard', '/var/cache/switchboard', '/tmp/switchboard-1000']],
    [{ CACHE_DIRECTORY: '/var/cache/switchboard', HOME: '/' }, ['/var/cache/switchboard', '/var/cache/switchboard', '/tmp/switchboard-1000']],
  ])('candidates for %o', (env, paths) => {
    expect(cacheDirCandidates(ctx(env)).map((c) => c.path)).toEqual(paths);
  });

  it('uses the explicit directory and fails clearly when it cannot', () => {
    const dir = join(work, 'cache');
    expect(resolveCacheDir({ env: { SWITCHBOARD_CACHE_DIR: dir }, uid: process.getuid?.() ?? null, tmpdir: work })).toBe(dir);
    writeFileSync(join(work, 'file'), '');
    expect(() => resolveCacheDir({ env: { SWITCHBOARD_CACHE_DIR: join(work, 'file', 'c') }, uid: null, tmpdir: work })).toThrow(/SWITCHBOARD_CACHE_DIR=.* cannot be used .*ENOTDIR/);
  });

  it('falls through unusable defaults to the next candidate', () => {
    writeFileSync(join(work, 'file'), '');
    const ctx = { env: { XDG_CACHE_HOME: join(work, 'file') }, uid: process.getuid?.() ?? null, tmpdir: work, systemDir: join(work, 'file', 'system') };
    expect(resolveCacheDir(ctx)).toBe(join(work, `switchboard-${process.getuid?.() ?? 'user'}`));
    expect(() => resolveCacheDir({ ...ctx, tmpdir: join(work, 'file') })).toThrow(/no usable cache directory for native libraries; tried .*XDG_CACHE_HOME.*\/var\/cache.*temp dir/);
  });

  it('finds noexec on the mount holding the directory', () => {
    const mountinfo = [
      '22 1 0:21 / / rw,relatime - ext4 /dev/sda1 rw',
      '30 22 0:25 / /tmp rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw',
      '31 22 0:26 / /var/cache rw,relatime - ext4 /dev/sdb1 rw',
    ].join('\n');
    expect(mountOptionsOf('/tmp/switchboard-0', mountinfo)).toContain('noexec');
    expect(mountOptionsOf('/var/cache/switchboard', mountinfo)).not.toContain('noexec');
    expect(mountOptionsOf('/tmpfoo', mountinfo)).not.toContain('noexec');
  });
});

describe('unpacking', () => {
  const lib = new Uint8Array([1, 2, 3, 4]);
  const asset = { key: 'natives/x64/lib.so', name: 'lib.so', sha256: sha(lib), size: lib.length };

  it('writes a native once under its sha256 and reuses it', () => {
    let reads = 0;
    const read = () => {
      reads++;
      return lib;
    };
    const path = extractNative(work, asset, read);
    expect(path).toBe(join(work, asset.sha256, 'lib.so'));
    expect(readFileSync(path)).toEqual(Buffer.from(lib));
    const mtime = statSync(path).mtimeMs;
    expect(extractNative(work, asset, read)).toBe(path);
    expect(reads).toBe(1);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(readdirSync(work)).toEqual([asset.sha256]); // no temp directories left
  });

  it('repairs a damaged copy', () => {
    const path = extractNative(work, asset, () => lib);
    unlinkSync(path);
    expect(readFileSync(extractNative(work, asset, () => lib))).toEqual(Buffer.from(lib));
  });

  it('names a missing asset and leaves nothing half-written', () => {
    const read = () => {
      throw new Error('no such asset');
    };
    expect(() => extractNative(work, asset, read)).toThrow(NativeError);
    expect(() => extractNative(work, asset, read)).toThrow(/no embedded asset "natives\/x64\/lib.so"/);
    expect(readdirSync(work)).toEqual([]);
  });

  it('unpacks an app tree with nested paths', () => {
    const files = { 'web/index.html': '<html>', 'models/flows/a.yaml': 'a: 1' };
    const dir = extractTree(work, 'a'.repeat(64), Object.entries(files).map(([path, text]) => ({ path, key: `app/${path}`, size: text.length })), (key) => new TextEncoder().encode(files[key.slice(4) as keyof typeof files]));
    expect(dir).toBe(join(work, `app-${'a'.repeat(64)}`));
    expect(readFileSync(join(dir, 'models', 'flows', 'a.yaml'), 'utf8')).toBe('a: 1');
  });
});

describe('manifest', () => {
  const good = {
    version: 1,
    arch: 'arm64',
    nodeVersion: '24.21.0',
    natives: { betterSqlite3: { key: 'a', name: 'a.node', sha256: 'b'.repeat(64), size: 1 }, koffi: { key: 'k', name: 'k.node', sha256: 'c'.repeat(64), size: 1 }, libvosk: null },
    libvoskMissingReason: 'no libvosk',
    app: { sha256: 'd'.repeat(64), files: [{ path: 'web/index.html', key: 'app/web/index.html', size: 3 }] },
  };

  it('accepts what the build writes', () => {
    expect(parseManifest(JSON.stringify(good)).libvoskMissingReason).toBe('no libvosk');
  });

  it.each([
    ['a path escaping the app dir', { ...good, app: { ...good.app, files: [{ path: '../etc/passwd', key: 'x', size: 1 }] } }],
    ['a native name with a slash', { ...good, natives: { ...good.natives, koffi: { ...good.natives.koffi, name: '../k.node' } } }],
    ['no reason for a missing libvosk', { ...good, libvoskMissingReason: null }],
    ['an unknown arch', { ...good, arch: 'riscv64' }],
  ])('rejects %s', (_, manifest) => {
    expect(() => parseManifest(JSON.stringify(manifest))).toThrow(/corrupt single-executable manifest/);
  });
});

describe('outside a single executable', () => {
  it('locates the natives in node_modules', () => {
    expect(isSingleExecutable()).toBe(false);
    const where = nativeLocations();
    expect(where.mode).toBe('node_modules');
    expect(where.koffi).toMatch(/node_modules\/@koromix\/koffi-linux-[a-z0-9]+\/linux_[a-z0-9]+\/koffi\.node$/);
    expect(where.betterSqlite3).toMatch(/node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node$/);
  });
});

describe('entry arguments', () => {
  it('recognizes a forked bundle of the app tree only', () => {
    expect(sidecarScript('/c/app-1', ['/c/app-1/speech-recognizer.mjs'])).toBe('/c/app-1/speech-recognizer.mjs');
    expect(sidecarScript('/c/app-1', ['/c/app-1/../evil.mjs'])).toBeNull();
    expect(sidecarScript('/c/app-1', ['serve'])).toBeNull();
    expect(sidecarScript('/c/app-1', ['/elsewhere/x.mjs'])).toBeNull();
  });

  it('finds the profile from --config or SWITCHBOARD_CONFIG', () => {
    expect(profilePathFrom(['serve', '--config', 'a.yaml'], {})).toBe('a.yaml');
    expect(profilePathFrom(['serve', '--config=b.yaml'], {})).toBe('b.yaml');
    expect(profilePathFrom(['serve'], { SWITCHBOARD_CONFIG: 'c.yaml' })).toBe('c.yaml');
  });

  it('defaults modelsDir to the embedded models only when neither env nor profile sets it', () => {
    const withModels = join(work, 'with.yaml');
    const without = join(work, 'without.yaml');
    writeFileSync(withModels, 'modelsDir: /srv/models\n');
    writeFileSync(without, 'branchId: b\n');
    expect(modelsDirChosen(['serve'], {})).toBe(false);
    expect(modelsDirChosen(['serve'], { SWITCHBOARD_MODELS_DIR: '/m' })).toBe(true);
    expect(modelsDirChosen(['serve', '--config', withModels], {})).toBe(true);
    expect(modelsDirChosen(['serve', '--config', without], {})).toBe(false);
  });
});
