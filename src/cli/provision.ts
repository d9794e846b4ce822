// `switchboard provision`: applies a device profile on site — validates it (line-precise),
// prepares the data directory and database, creates the first administrator from a password
// file, makes a TLS certificate if asked, checks the speech models and sync credentials the
// profile names, and installs the profile where the service reads it (mode 0600).
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { AuthService, TokenIssuer, loadOrCreateSecret } from '../auth/index.ts';
import { loadConfig, type Config } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import { KnowledgeBase, loadDemoArticles, seedKnowledgeBase } from '../knowledge/index.ts';
import { inspectModel } from '../speech/index.ts';
import { openDatabase } from '../store/index.ts';
import type { Command } from './commands.ts';
import { generateSelfSigned } from './tls.ts';

export interface ProvisionStep {
  step: string;
  ok: boolean;
  detail: string;
}

export interface ProvisionOptions {
  profile: string;
  installTo?: string;
  adminUser?: string;
  adminPasswordFile?: string;
  tlsHosts?: string[];
  env: NodeJS.ProcessEnv;
}

export async function provision(options: ProvisionOptions): Promise<{ steps: ProvisionStep[]; config: Config; profilePath: string }> {
  const steps: ProvisionStep[] = [];
  const note = (step: string, ok: boolean, detail: string) => steps.push({ step, ok, detail });

  let config = loadConfig({ profilePath: options.profile, env: options.env });
  note('profile', true, `${options.profile} is valid: branch ${config.branchId}, tenant ${config.tenant}, port ${config.port}`);

  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const db = openDatabase({ path: join(dataDir, 'switchboard.db') });
  try {
    chmodSync(join(dataDir, 'switchboard.db'), 0o600);
    const secret = config.auth.jwtSecret ?? loadOrCreateSecret(dataDir, 'jwt-secret');
    note('data directory', true, `${dataDir} (0700), database schema ${String(db.pragma('user_version', { simple: true }))}`);

    const kb = new KnowledgeBase(db);
    if (config.knowledge.seedDemo) {
      const seeded = seedKnowledgeBase(kb, loadDemoArticles(join(resolve(config.modelsDir), 'knowledge', 'demo-kb.json')));
      note('knowledge base', true, seeded ? `seeded ${seeded.created} demo articles` : `${kb.count()} articles already present`);
    } else {
      note('knowledge base', true, `${kb.count()} articles (demo seeding off; import with: switchboard kb import FILE)`);
    }

    const auth = new AuthService(db, new TokenIssuer(secret), config.auth, () => null);
    if (options.adminUser) {
      if (!options.adminPasswordFile) throw new AppError('VALIDATION_FAILED', '--admin-user needs --admin-password-file (never a password on the command line)');
      if (auth.hasAdmin()) note('administrator', true, 'an administrator already exists; none created');
      else {
        const password = readFileSync(options.adminPasswordFile, 'utf8').replace(/\r?\n$/, '');
        const account = await auth.createAccount({ username: options.adminUser, password, role: 'admin' }, 'provision');
        note('administrator', true, `created "${account.username}"; delete ${options.adminPasswordFile} now`);
      }
    } else {
      note('administrator', auth.hasAdmin(), auth.hasAdmin() ? 'an administrator exists' : 'none yet: run again with --admin-user/--admin-password-file, or use the bootstrap code on first start');
    }
  } finally {
    db.close();
  }

  // The profile as installed: TLS paths filled in when a certificate was made here.
  const doc = parseDocument(readFileSync(options.profile, 'utf8'));
  if (options.tlsHosts?.length) {
    const cert = generateSelfSigned(join(dataDir, 'tls'), options.tlsHosts);
    doc.setIn(['tls', 'certFile'], cert.certFile);
    doc.setIn(['tls', 'keyFile'], cert.keyFile);
    note('tls', true, `self-signed for ${options.tlsHosts.join(', ')}; SHA-256 ${cert.fingerprint256} (pin this in kiosk browsers and PBX clients)`);
  } else if (config.tls.certFile) {
    note('tls', existsSync(config.tls.certFile) && existsSync(config.tls.keyFile ?? ''), `certificate ${config.tls.certFile}`);
  } else {
    note('tls', true, 'off: HTTP only (use --tls-host NAME to make a certificate)');
  }

  if (config.speech.enabled) {
    const modelsDir = resolve(config.speech.modelsDir ?? config.modelsDir);
    for (const [language, name] of Object.entries(config.speech.models)) {
      const info = inspectModel(name, join(modelsDir, name));
      note(`speech model (${language})`, info !== undefined, info ? `${name}: ${info.sampleRate} Hz${info.supportsGrammar ? ', grammars' : ''}` : `${name} is not installed in ${modelsDir}: switchboard model install ARCHIVE --name ${name}`);
    }
  } else {
    note('speech', true, 'off in this profile');
  }

  if (config.sync.brokerUrl) {
    const files = { passwordFile: config.sync.passwordFile, caFile: config.sync.caFile, certFile: config.sync.certFile, keyFile: config.sync.keyFile };
    for (const [key, path] of Object.entries(files)) {
      if (!path) continue;
      if (!existsSync(path)) {
        note(`sync ${key}`, false, `${path} does not exist`);
        continue;
      }
      // Secrets must not be readable by other users of the box.
      if (key === 'passwordFile' || key === 'keyFile') {
        const mode = statSync(path).mode & 0o777;
        if (mode & 0o077) chmodSync(path, 0o600);
        note(`sync ${key}`, true, `${path}${mode & 0o077 ? ` (permissions tightened from ${mode.toString(8)} to 600)` : ''}`);
      } else note(`sync ${key}`, true, path);
    }
    note('sync', true, `broker ${config.sync.brokerUrl.replace(/\/\/[^@/]*@/, '//***@')}`);
  } else {
    note('sync', true, 'no broker configured: events are kept in the outbox until one is');
  }

  const profilePath = resolve(options.installTo ?? options.profile);
  if (options.installTo) mkdirSync(dirname(profilePath), { recursive: true });
  if (options.installTo || options.tlsHosts?.length) {
    writeFileSync(profilePath, doc.toString(), { mode: 0o600 });
    chmodSync(profilePath, 0o600);
    config = loadConfig({ profilePath, env: options.env });
    note('profile installed', true, `${profilePath} (0600); start with SWITCHBOARD_CONFIG=${profilePath}`);
  }
  return { steps, config, profilePath };
}

export const provisionCommand: Command = {
  name: 'provision',
  summary: 'Apply a device profile on site: data directory, database, first admin, TLS, model and broker checks',
  usage:
    'switchboard provision --profile PROFILE.yaml [--install-to /etc/switchboard/profile.yaml] [--admin-user NAME --admin-password-file FILE] [--tls-host NAME ...] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        profile: { type: 'string' },
        'install-to': { type: 'string' },
        'admin-user': { type: 'string' },
        'admin-password-file': { type: 'string' },
        'tls-host': { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    });
    if (!values.profile) throw new AppError('VALIDATION_FAILED', `name the profile: ${this.usage}`);
    const { steps } = await provision({
      profile: values.profile,
      installTo: values['install-to'],
      adminUser: values['admin-user'],
      adminPasswordFile: values['admin-password-file'],
      tlsHosts: values['tls-host'],
      env: io.env,
    });
    const ok = steps.every((s) => s.ok);
    if (values.json) io.out(JSON.stringify({ ok, steps }, null, 2));
    else {
      for (const s of steps) io.out(`${s.ok ? ' ok ' : 'FAIL'}  ${s.step.padEnd(20)} ${s.detail}`);
      io.out(ok ? 'provisioned. Next: start the service, then run "switchboard selftest".' : 'provisioning left problems: fix the lines marked FAIL and run it again.');
    }
    return ok ? 0 : 1;
  },
};

