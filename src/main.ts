#!/usr/bin/env node
// Entry point of the appliance binary: `switchboard serve` (default) and the installer's
// subcommands (see src/cli).
import { parseArgs } from 'node:util';
import { startAppliance } from './appliance/index.ts';
import { runCommand, usage } from './cli/index.ts';
import { loadConfig } from './config/index.ts';
import { isAppError } from './errors/index.ts';

const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l), env: process.env };

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    io.out('Run the appliance.\n\nUsage: switchboard serve [--config PROFILE.yaml]');
    return 0;
  }
  const appliance = await startAppliance(loadConfig({ profilePath: values.config }));
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

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.out(usage());
    return 0;
  }
  if (first === undefined || first === 'serve' || first.startsWith('--')) return serve(first === 'serve' ? rest : argv);
  return runCommand(first, rest, io);
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
