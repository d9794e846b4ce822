// Bare Debian roots for the binary tests, made once by debootstrap and kept under
// /var/cache/switchboard-test-rootfs: amd64 (chroot: no Node anywhere) and arm64 (unpacked with
// --foreign, used as the sysroot of qemu-aarch64-static).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOTFS_CACHE, commandExists } from './binary-helpers.ts';

/** The Debian mirror apt uses on this machine (deb822 or one-line sources), else deb.debian.org. */
export function debianMirror(): string {
  const files: string[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  if (existsSync('/etc/apt/sources.list.d')) {
    for (const f of readdirSync('/etc/apt/sources.list.d')) if (f.endsWith('.sources') || f.endsWith('.list')) files.push(join('/etc/apt/sources.list.d', f));
  }
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deb822 = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text);
    if (deb822) return deb822[1]!;
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+/m.exec(text);
    if (line) return line[1]!;
  }
  return 'http://deb.debian.org/debian';
}

/** Why the root cannot be made here, or null. */
export function rootfsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'debootstrap and chroot need root';
  if (!commandExists('debootstrap')) return 'Debian package debootstrap is not installed (scripts/test.sh installs it)';
  return null;
}

/** Path of a cached bookworm minbase root for `arch`, creating it on first use (a few minutes). */
export function ensureRootfs(arch: 'amd64' | 'arm64'): string {
  const dir = join(ROOTFS_CACHE, `bookworm-${arch}`);
  if (existsSync(join(dir, 'usr', 'lib', 'os-release'))) return dir;
  mkdirSync(ROOTFS_CACHE, { recursive: true });
  const temp = `${dir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  const foreign = arch === 'amd64' ? [] : ['--foreign', `--arch=${arch}`];
  execFileSync('debootstrap', ['--variant=minbase', ...foreign, 'bookworm', temp, debianMirror()], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
  return dir;
}
