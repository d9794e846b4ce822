// `switchboard tls generate`: a self-signed certificate for the appliance's HTTPS listener,
// made with the system's openssl, with its SHA-256 fingerprint printed for the installer to
// pin in kiosk browsers and PBX clients.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import type { Command } from './commands.ts';

export interface GeneratedCertificate {
  certFile: string;
  keyFile: string;
  fingerprint256: string;
  validTo: string;
  subjectAltName: string | undefined;
}

export function generateSelfSigned(dir: string, hosts: readonly string[], days = 825): GeneratedCertificate {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', `/CN=${hosts[0]}/O=Switchboard`, '-addext', `subjectAltName=${san}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (err) {
    throw new AppError('INTERNAL', `openssl could not make the certificate (is openssl installed?): ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? (err as Error).message}`);
  }
  chmodSync(keyFile, 0o600);
  const cert = new X509Certificate(readFileSync(certFile));
  return { certFile, keyFile, fingerprint256: cert.fingerprint256, validTo: cert.validTo, subjectAltName: cert.subjectAltName };
}

export const tlsCommand: Command = {
  name: 'tls',
  summary: 'Generate a self-signed HTTPS certificate in the data directory and print its fingerprint',
  usage: 'switchboard tls generate --host NAME [--host IP ...] [--days N] [--config PROFILE.yaml] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string' }, host: { type: 'string', multiple: true }, days: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals[0] !== 'generate') throw new AppError('VALIDATION_FAILED', `usage: ${this.usage}`);
    const hosts = values.host?.length ? values.host : ['localhost', '127.0.0.1'];
    const config = loadConfig({ profilePath: values.config, env: io.env });
    const generated = generateSelfSigned(join(resolve(config.dataDir), 'tls'), hosts, values.days ? Number(values.days) : undefined);
    io.out(
      values.json
        ? JSON.stringify(generated, null, 2)
        : `certificate ${generated.certFile}\nkey         ${generated.keyFile} (mode 0600)\nSHA-256     ${generated.fingerprint256}\nvalid until ${generated.validTo}\nAdd to the profile:\n  tls:\n    certFile: ${generated.certFile}\n    keyFile: ${generated.keyFile}`,
    );
    return 0;
  },
};
