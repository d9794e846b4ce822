#!/usr/bin/env node
// Entry point of the appliance binary: `switchboard serve [--config PROFILE.yaml]`.
import { parseArgs } from 'node:util';
import { loadConfig } from './config/index.ts';
import { isAppError } from './errors/index.ts';
import { startAppliance } from './appliance/index.ts';

const USAGE = `Usage: switchboard <command> [options]

Commands:
  serve            Run the appliance (default)

Options:
  --config PATH    Device profile (YAML, see firmware-config/); also SWITCHBOARD_CONFIG
  --help           Show this help

Every option of the profile can also be set as SWITCHBOARD_<OPTION>, e.g. SWITCHBOARD_PORT=8080,
SWITCHBOARD_DATA_DIR=/var/lib/switchboard, SWITCHBOARD_AUTH__ACCESS_TOKEN_TTL_SECONDS=900.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve') {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig({ profilePath: values.config });
  const appliance = await startAppliance(config);
  const stop = (signal: string) => {
    appliance.logger.info({ signal }, 'shutting down');
    appliance.close().then(
      () => process.exit(0),
      (err: unknown) => {
        appliance.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (isAppError(err)) {
      console.error(`switchboard: ${err.code}: ${err.message}`);
      process.exit(err.code === 'CONFIG_INVALID' ? 2 : 1);
    }
    console.error('switchboard: failed to start:', err);
    process.exit(1);
  },
);
