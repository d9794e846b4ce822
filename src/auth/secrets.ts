// Secrets generated on the appliance itself (never shipped): created once with mode 0600
// in the data directory and read back on later starts.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadOrCreateSecret(dataDir: string, name: string, bytes = 48): string {
  const path = join(dataDir, name);
  if (existsSync(path)) {
    const value = readFileSync(path, 'utf8').trim();
    // A truncated or emptied file is replaced rather than trusted.
    if (value.length >= Math.floor((bytes * 4) / 3)) return value;
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(bytes).toString('base64url');
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return value;
}

export function removeSecret(dataDir: string, name: string): void {
  rmSync(join(dataDir, name), { force: true });
}
