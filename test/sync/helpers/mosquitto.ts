// A real mosquitto per test suite: writes a mosquitto.conf into a temp dir, starts
// `mosquitto -c` on a random 127.0.0.1 port, waits until the port accepts connections, and
// can stop/start it again on the same port (outage and restart scenarios).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p)) ?? 'mosquitto';

export interface BrokerOptions {
  /** user → password; anonymous access is then refused. */
  users?: Record<string, string>;
  /** PEM paths: the listener speaks TLS and requires a client certificate signed by `ca`. */
  tls?: { ca: string; cert: string; key: string };
  /** Keep sessions and queued messages across restarts (saved on a graceful stop). */
  persistence?: boolean;
}

export interface Broker {
  port: number;
  url: string;
  dir: string;
  /** SIGTERM (graceful: persists state) or SIGKILL. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  start(): Promise<void>;
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startMosquitto(options: BrokerOptions = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mosq-'));
  const port = await freePort();
  const lines = [
    'user root', // started as root in CI: do not drop to a user that cannot read the temp dir
    `listener ${port} 127.0.0.1`,
    'max_queued_messages 0', // never drop queued QoS 1 messages for a slow subscriber
    'max_inflight_messages 100',
    `log_dest file ${join(dir, 'mosquitto.log')}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    ...(process.env.MOSQ_DEBUG ? ['log_type all'] : []),
  ];
  if (options.users) {
    const pw = join(dir, 'passwords');
    writeFileSync(pw, '');
    for (const [user, password] of Object.entries(options.users)) {
      const r = spawnSync('mosquitto_passwd', ['-b', pw, user, password]);
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr.toString()}`);
    }
    lines.push('allow_anonymous false', `password_file ${pw}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (options.tls) lines.push(`cafile ${options.tls.ca}`, `certfile ${options.tls.cert}`, `keyfile ${options.tls.key}`, 'require_certificate true', 'tls_version tlsv1.2');
  if (options.persistence) lines.push('persistence true', `persistence_location ${dir}/`, 'autosave_interval 1');
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);

  let child: ChildProcess | null = null;
  const broker: Broker = {
    port,
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    dir,
    async start() {
      if (child) return;
      const c = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = c;
      let stderr = '';
      c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<never>((_, reject) => c.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${stderr}${broker.log()}`))));
      await Promise.race([waitForPort(port), exited]);
      exited.catch(() => {});
    },
    async stop(signal = 'SIGTERM') {
      const c = child;
      if (!c) return;
      child = null;
      if (c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
    },
    log: () => {
      try {
        return readFileSync(join(dir, 'mosquitto.log'), 'utf8');
      } catch {
        return '';
      }
    },
  };
  await broker.start();
  return broker;
}
