// Starts a real appliance (SQLite file in a temp dir, real NLU, real HTTP server on a random
// 127.0.0.1 port) and signs in the accounts tests need.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppliance, type Appliance } from '../../src/appliance/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/ops/index.ts';

export interface TestAppliance {
  app: Appliance;
  url: string;
  dataDir: string;
  tokens: { admin: string; supervisor: string; agent: string; installer: string; kiosk: string };
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'test admin password 1';

export async function startTestAppliance(overrides: Record<string, unknown> = {}, options: { dataDir?: string } = {}): Promise<TestAppliance> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sb-it-'));
  // Speech starts recognizer processes and listens on fixed ports: off unless a test asks for it.
  const config = parseConfig({ host: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', speech: { enabled: false }, ...overrides });
  const app = await startAppliance(config, { logger: silentLogger, retrainDebounceMs: 50 });
  const url = app.url;

  const request = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${url}${path}`, { ...init, headers, body });
  };

  const signIn = async (username: string, password: string) => {
    const res = await request('/v1/auth/login', { method: 'POST', json: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  if (!app.auth.hasAdmin()) {
    const code = readFileSync(app.bootstrapCodePath, 'utf8').trim();
    const res = await request('/v1/auth/bootstrap', { method: 'POST', json: { code, username: 'admin', password: ADMIN_PASSWORD } });
    if (res.status !== 201) throw new Error(`bootstrap failed: ${res.status} ${await res.text()}`);
  }
  const admin = await signIn('admin', ADMIN_PASSWORD);
  const make = async (role: 'supervisor' | 'agent' | 'installer') => {
    const username = `${role}-user`;
    const password = `${role} password 123`;
    const exists = app.auth.listAccounts().some((a) => a.username === username);
    if (!exists) await request('/v1/accounts', { method: 'POST', token: admin, json: { username, password, role } });
    return signIn(username, password);
  };
  const kioskRes = await request('/v1/auth/kiosk-session', { method: 'POST', json: {} });
  const kiosk = ((await kioskRes.json()) as { accessToken: string }).accessToken;

  return {
    app,
    url,
    dataDir,
    tokens: { admin, supervisor: await make('supervisor'), agent: await make('agent'), installer: await make('installer'), kiosk },
    request,
    close: () => app.close(),
  };
}
