// HTTPS: a self-signed certificate made by `switchboard tls generate`, served by the
// appliance, verified by a client that pins it; plain HTTP is then not served.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/index.ts';
import { startAppliance } from '../../src/appliance/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/ops/index.ts';

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('switchboard tls generate + HTTPS', () => {
  it('makes a certificate with a private key and a fingerprint, and the appliance serves HTTPS with it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-tls-'));
    const out: string[] = [];
    const code = await runCommand('tls', ['generate', '--host', 'localhost', '--host', '127.0.0.1', '--json'], { out: (l) => out.push(l), err: (l) => out.push(l), env: { SWITCHBOARD_DATA_DIR: dataDir } });
    expect(code).toBe(0);
    const generated = JSON.parse(out.join('\n')) as { certFile: string; keyFile: string; fingerprint256: string };
    expect(statSync(generated.keyFile).mode & 0o777).toBe(0o600);
    const cert = readFileSync(generated.certFile);
    expect(new X509Certificate(cert).fingerprint256).toBe(generated.fingerprint256);
    expect(generated.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    // Started directly: the test-appliance helper signs in over fetch(), which rightly does not trust this certificate.
    const app = await startAppliance(parseConfig({ host: '127.0.0.1', port: 0, dataDir, speech: { enabled: false }, tls: { certFile: generated.certFile, keyFile: generated.keyFile } }), { logger: silentLogger });
    try {
      expect(app.url).toMatch(/^https:\/\//);
      const health = await httpsGet(`${app.url.replace('127.0.0.1', 'localhost')}/healthz`, cert);
      expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
      // A client that does not trust the certificate is refused.
      await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    } finally {
      await app.close();
    }
  });

  it('refuses a profile with a certificate but no key', () => {
    expect(() => parseConfig({ tls: { certFile: '/x/cert.pem' } })).toThrow(/tls: set both certFile and keyFile/);
  });
});
