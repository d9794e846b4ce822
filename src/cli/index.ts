// Public face of the command line: the subcommands and a dispatcher with help.
import { isAppError } from '../errors/index.ts';
import { COMMANDS, type Command, type CommandIO } from './commands.ts';

export { COMMANDS, type Command, type CommandIO } from './commands.ts';
export { backupDatabase, restoreDatabase, verifyDatabaseFile, type BackupReport } from './backup.ts';

export function usage(extra: readonly Command[] = []): string {
  const all = [{ name: 'serve', summary: 'Run the appliance (default)' }, ...COMMANDS, ...extra];
  const width = Math.max(...all.map((c) => c.name.length)) + 2;
  return `Usage: switchboard <command> [options]

Commands:
${all.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Common options:
  --config PATH   Device profile (YAML, see firmware-config/); also SWITCHBOARD_CONFIG
  --help          Help for a command: switchboard <command> --help

Every profile option can also be set as SWITCHBOARD_<OPTION>, e.g. SWITCHBOARD_PORT=8080,
SWITCHBOARD_DATA_DIR=/var/lib/switchboard, SWITCHBOARD_AUTH__ACCESS_TOKEN_TTL_SECONDS=900.`;
}

/** Runs a subcommand; errors become one line saying what to do, and exit code 1 (2 for usage). */
export async function runCommand(name: string, argv: string[], io: CommandIO, extra: readonly Command[] = []): Promise<number> {
  const command = [...COMMANDS, ...extra].find((c) => c.name === name);
  if (!command) {
    io.err(`switchboard: unknown command "${name}"\n\n${usage(extra)}`);
    return 2;
  }
  // The CRM bridge prints its own, longer help.
  if ((argv.includes('--help') || argv.includes('-h')) && command.name !== 'crm-bridge') {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(argv, io);
  } catch (err) {
    if (isAppError(err)) {
      io.err(`switchboard ${name}: ${err.code}: ${err.message}`);
      return err.code === 'VALIDATION_FAILED' ? 2 : 1;
    }
    io.err(`switchboard ${name}: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}
