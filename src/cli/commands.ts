// The installer's and operator's subcommands of the one binary. Each parses its own options,
// does one job, prints a human line (or JSON with --json), and exits non-zero with a hint.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuthService, TokenIssuer, loadOrCreateSecret, ACCOUNT_ROLES, type AccountRole } from '../auth/index.ts';
import { loadConfig, configJsonSchemaText, type Config } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import { KnowledgeBase, TRANSFER_FORMATS, type TransferFormat } from '../knowledge/index.ts';
import { openDatabase } from '../store/index.ts';
import { backupDatabase, restoreDatabase, verifyDatabaseFile } from './backup.ts';
import { tlsCommand } from './tls.ts';
import { selftestCommand } from './selftest.ts';
import { modelCommand } from './model-install.ts';
import { provisionCommand } from './provision.ts';
import { crmBridgeMain } from '../sync/index.ts';

export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CommandIO): Promise<number>;
}

const dbPathOf = (config: Config) => join(resolve(config.dataDir), 'switchboard.db');

function configFrom(values: { config?: string }, io: CommandIO): Config {
  return loadConfig({ profilePath: values.config, env: io.env });
}

function print(io: CommandIO, json: boolean | undefined, value: unknown, human: string): void {
  io.out(json ? JSON.stringify(value, null, 2) : human);
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write a consistent, verified copy of the database (safe while the appliance runs)',
  usage: 'switchboard backup OUTPUT.db [--config PROFILE.yaml] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, json: { type: 'boolean' } } });
    const target = positionals[0];
    if (!target) throw new AppError('VALIDATION_FAILED', `name the backup file: ${this.usage}`);
    const report = await backupDatabase(dbPathOf(configFrom(values, io)), resolve(target));
    print(io, values.json, report, `backup written to ${report.path} (${report.bytes} bytes, schema ${report.schemaVersion}, ${Object.entries(report.counts).map(([k, v]) => `${v} ${k}`).join(', ')}); integrity check ok`);
    return 0;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Replace the database with a verified backup (stop the appliance first)',
  usage: 'switchboard restore BACKUP.db [--config PROFILE.yaml] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, json: { type: 'boolean' } } });
    const source = positionals[0];
    if (!source) throw new AppError('VALIDATION_FAILED', `name the backup to restore: ${this.usage}`);
    const dbPath = dbPathOf(configFrom(values, io));
    const report = await restoreDatabase(resolve(source), dbPath);
    print(io, values.json, report, `restored ${source} into ${dbPath} (schema ${report.schemaVersion}); the previous database is kept as ${dbPath}.before-restore`);
    return 0;
  },
};

export const verifyCommand: Command = {
  name: 'verify-backup',
  summary: 'Check that a backup file is whole and readable',
  usage: 'switchboard verify-backup BACKUP.db [--json]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (!positionals[0]) throw new AppError('VALIDATION_FAILED', `name the backup file: ${this.usage}`);
    const report = verifyDatabaseFile(resolve(positionals[0]));
    print(io, values.json, report, `${report.path}: integrity ok, schema ${report.schemaVersion}, ${Object.entries(report.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    return 0;
  },
};

export const kbCommand: Command = {
  name: 'kb',
  summary: 'Import or export the knowledge base (json, csv, markdown)',
  usage: 'switchboard kb import FILE --format json|csv|markdown [--mode upsert|create-only] | kb export FILE --format json|csv|markdown [--language zh|en]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string' }, format: { type: 'string' }, mode: { type: 'string' }, language: { type: 'string' }, json: { type: 'boolean' } },
    });
    const [action, file] = positionals;
    const format = (values.format ?? inferFormat(file)) as TransferFormat;
    if ((action !== 'import' && action !== 'export') || !file) throw new AppError('VALIDATION_FAILED', `usage: ${this.usage}`);
    if (!TRANSFER_FORMATS.includes(format)) throw new AppError('VALIDATION_FAILED', `--format must be one of ${TRANSFER_FORMATS.join(', ')}`);
    const db = openDatabase({ path: dbPathOf(configFrom(values, io)) });
    try {
      const kb = new KnowledgeBase(db);
      if (action === 'import') {
        const mode = values.mode === 'create-only' ? 'create-only' : 'upsert';
        const result = kb.importArticles(format, readFileSync(file, 'utf8'), { mode, actor: 'cli' });
        print(io, values.json, result, `imported ${file}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged (a running appliance retrains when it next starts or on POST /v1/nlu/retrain)`);
      } else {
        const language = values.language === 'zh' || values.language === 'en' ? values.language : undefined;
        writeFileSync(file, kb.exportArticles(format, language ? { language } : {}));
        print(io, values.json, { file, format }, `exported the knowledge base to ${file} (${format})`);
      }
    } finally {
      db.close();
    }
    return 0;
  },
};

function inferFormat(file: string | undefined): string | undefined {
  if (!file) return undefined;
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.csv')) return 'csv';
  if (file.endsWith('.md')) return 'markdown';
  return undefined;
}

export const configCommand: Command = {
  name: 'config',
  summary: 'Validate a device profile, or print the effective configuration or its JSON Schema',
  usage: 'switchboard config validate PROFILE.yaml | config show [--config PROFILE.yaml] | config schema',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' } } });
    const [action, file] = positionals;
    if (action === 'schema') {
      io.out(configJsonSchemaText().trimEnd());
      return 0;
    }
    if (action === 'validate') {
      if (!file) throw new AppError('VALIDATION_FAILED', `name the profile: ${this.usage}`);
      const config = loadConfig({ profilePath: file, env: {} });
      io.out(`${file} is valid (branch ${config.branchId}, tenant ${config.tenant}, port ${config.port})`);
      return 0;
    }
    if (action === 'show') {
      const config = configFrom(values, io);
      // Secrets are shown as set/unset only.
      const shown = JSON.parse(JSON.stringify(config, (k: string, v: unknown) => (/secret|password/i.test(k) && v ? '[set]' : v))) as unknown;
      io.out(JSON.stringify(shown, null, 2));
      return 0;
    }
    throw new AppError('VALIDATION_FAILED', `usage: ${this.usage}`);
  },
};

export const accountCommand: Command = {
  name: 'account',
  summary: 'Create a local account on the box (the installer way to make the first admin)',
  usage: 'switchboard account create USERNAME --role admin|supervisor|agent|installer --password-file FILE [--name "Display Name"]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string' }, role: { type: 'string' }, 'password-file': { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
    });
    const [action, username] = positionals;
    const role = values.role as AccountRole;
    if (action !== 'create' || !username || !ACCOUNT_ROLES.includes(role) || !values['password-file']) throw new AppError('VALIDATION_FAILED', `usage: ${this.usage}`);
    // From a file, never the command line: shell history and the process list would keep it.
    const password = readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '');
    const config = configFrom(values, io);
    const db = openDatabase({ path: dbPathOf(config) });
    try {
      const secret = config.auth.jwtSecret ?? loadOrCreateSecret(resolve(config.dataDir), 'jwt-secret');
      const auth = new AuthService(db, new TokenIssuer(secret), config.auth, () => null);
      const account = await auth.createAccount({ username, password, role, displayName: values.name }, 'cli');
      print(io, values.json, account, `created ${role} account "${account.username}" (${account.id})`);
    } finally {
      db.close();
    }
    return 0;
  },
};

export const crmBridgeCommand: Command = {
  name: 'crm-bridge',
  summary: 'Reference CRM bridge for head office: consume branch events (MQTT 5 shared subscription), apply each once, push updates down',
  usage: 'switchboard crm-bridge --help',
  run: (argv, io) => crmBridgeMain(argv, io.env),
};

export const COMMANDS: readonly Command[] = [backupCommand, restoreCommand, verifyCommand, kbCommand, configCommand, accountCommand, tlsCommand, provisionCommand, selftestCommand, modelCommand, crmBridgeCommand];
