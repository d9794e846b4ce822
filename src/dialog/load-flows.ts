// Reads models/flows/ from disk: every *.yaml is a flow version, except experiments.yaml and
// settings.yaml. The only I/O in the dialog folder; everything after parsing is buildCatalog.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AppError } from '../errors/index.ts';
import { buildCatalog, type FlowCatalog, type FlowSource } from './catalog.ts';

const EXPERIMENTS_FILE = 'experiments.yaml';
const SETTINGS_FILE = 'settings.yaml';

export interface LoadFlowsOptions {
  /** Intent names from the intent files; when given, flows may only trigger on these (or kb.<topic>). */
  knownIntents?: Iterable<string>;
}

export function loadFlows(dir: string, options: LoadFlowsOptions = {}): FlowCatalog {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    throw new AppError('FLOW_INVALID', `Cannot read the flow directory ${dir}`, { dir }, { cause: err });
  }
  const read = (name: string): FlowSource => {
    const file = join(dir, name);
    try {
      return { file, content: parse(readFileSync(file, 'utf8')) as unknown };
    } catch (err) {
      throw new AppError('FLOW_INVALID', `${file}: (root): not valid YAML: ${(err as Error).message}`, { file }, { cause: err });
    }
  };
  const flows = names.filter((n) => n !== EXPERIMENTS_FILE && n !== SETTINGS_FILE).map(read);
  return buildCatalog({
    flows,
    ...(names.includes(EXPERIMENTS_FILE) ? { experiments: read(EXPERIMENTS_FILE) } : {}),
    ...(names.includes(SETTINGS_FILE) ? { settings: read(SETTINGS_FILE) } : {}),
    ...(options.knownIntents ? { knownIntents: options.knownIntents } : {}),
  });
}
