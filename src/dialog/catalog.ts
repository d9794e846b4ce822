// Builds the validated, read-only flow catalog from parsed YAML documents: schema checks,
// then the cross-references a schema cannot see. Every problem names its file and path,
// and all of them are reported at once so an admin fixes a flow set in one pass.
import type { z } from 'zod';
import { AppError } from '../errors/index.ts';
import {
  ENTITY_TYPES,
  experimentsFileSchema,
  flowSchema,
  settingsSchema,
  type DialogSettings,
  type Experiment,
  type FlowDefinition,
  type SlotDefinition,
} from './flow-schema.ts';
import { isMessageKey } from './messages.ts';
import { isTemplateFilter, placeholdersOf } from './templates.ts';
import { RESERVED_INTENTS } from './intents.ts';
import type { EntityType } from '../nlu/types.ts';

/** One parsed YAML document and the file it came from (for error messages). */
export interface FlowSource {
  file: string;
  content: unknown;
}

export interface FlowFamily {
  id: string;
  /** Highest non-experimental version: what a conversation outside any experiment runs. */
  defaultVersion: number;
  versions: ReadonlyMap<number, FlowDefinition>;
}

export interface FlowCatalog {
  readonly flows: ReadonlyMap<string, FlowFamily>;
  /** Intent → id of the flow it starts. */
  readonly triggers: ReadonlyMap<string, string>;
  readonly experiments: readonly Experiment[];
  readonly settings: DialogSettings;
}

export interface FlowProblem {
  file: string;
  path: string;
  message: string;
}

export interface CatalogInput {
  flows: readonly FlowSource[];
  experiments?: FlowSource;
  settings?: FlowSource;
  /** When given, trigger intents other than kb.<topic> must be among these (the intent files' names). */
  knownIntents?: Iterable<string>;
}

export function buildCatalog(input: CatalogInput): FlowCatalog {
  const problems: FlowProblem[] = [];
  const settings = parseWith(settingsSchema, input.settings ?? { file: 'settings.yaml', content: {} }, problems);
  if (settings && input.settings) {
    for (const key of Object.keys(settings.messages)) {
      if (!isMessageKey(key)) problems.push({ file: input.settings.file, path: `messages.${key}`, message: 'unknown message key' });
    }
  }

  const known = input.knownIntents ? new Set(input.knownIntents) : null;
  const byId = new Map<string, Map<number, FlowDefinition>>();
  const triggers = new Map<string, { flowId: string; file: string }>();
  for (const source of input.flows) {
    const flow = parseWith(flowSchema, source, problems);
    if (!flow) continue;
    const report = (path: string, msg: string) => problems.push({ file: source.file, path, message: msg });
    checkFlow(flow, report, known);
    const versions = byId.get(flow.id) ?? new Map<number, FlowDefinition>();
    if (versions.has(flow.version)) report('version', `flow "${flow.id}" version ${flow.version} is defined twice`);
    versions.set(flow.version, flow);
    byId.set(flow.id, versions);
    for (const [i, intent] of flow.trigger.intents.entries()) {
      const owner = triggers.get(intent);
      if (owner && owner.flowId !== flow.id) {
        report(`trigger.intents.${i}`, `intent "${intent}" already starts flow "${owner.flowId}" (${owner.file})`);
      } else triggers.set(intent, { flowId: flow.id, file: source.file });
    }
  }

  const flows = new Map<string, FlowFamily>();
  for (const [id, versions] of byId) {
    const stable = [...versions.values()].filter((f) => !f.experimental).map((f) => f.version);
    if (stable.length === 0) {
      problems.push({ file: `${id} (all versions)`, path: 'experimental', message: `flow "${id}" has no non-experimental version to run by default` });
      continue;
    }
    flows.set(id, { id, defaultVersion: Math.max(...stable), versions });
  }

  const experiments = input.experiments ? (parseWith(experimentsFileSchema, input.experiments, problems)?.experiments ?? []) : [];
  if (input.experiments) checkExperiments(experiments, byId, input.experiments.file, problems);

  if (problems.length > 0 || !settings) {
    const lines = problems.map((p) => `${p.file}: ${p.path || '(root)'}: ${p.message}`);
    throw new AppError('FLOW_INVALID', `Invalid dialog flows:\n${lines.join('\n')}`, { problems });
  }
  return {
    flows,
    triggers: new Map([...triggers].map(([intent, t]) => [intent, t.flowId])),
    experiments,
    settings,
  };
}

/** The flow definition a conversation runs: a pinned version, else the default. */
export function findFlow(catalog: FlowCatalog, id: string, version?: number): FlowDefinition | null {
  const family = catalog.flows.get(id);
  if (!family) return null;
  return family.versions.get(version ?? family.defaultVersion) ?? null;
}

function parseWith<T extends z.ZodType>(schema: T, source: FlowSource, problems: FlowProblem[]): z.output<T> | null {
  const result = schema.safeParse(source.content ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push({ file: source.file, path: issue.path.map(String).join('.'), message: issue.message });
  }
  return null;
}

function checkFlow(flow: FlowDefinition, report: (path: string, message: string) => void, known: Set<string> | null): void {
  flow.trigger.intents.forEach((intent, i) => {
    if (RESERVED_INTENTS.has(intent)) report(`trigger.intents.${i}`, `"${intent}" is handled by the engine itself and cannot start a flow`);
    else if (known && !intent.startsWith('kb.') && !known.has(intent)) report(`trigger.intents.${i}`, `unknown intent "${intent}"`);
  });

  const seen = new Map<string, SlotDefinition>();
  flow.slots.forEach((slot, i) => {
    const at = `slots.${i}`;
    if (seen.has(slot.name)) report(`${at}.name`, `duplicate slot "${slot.name}"`);
    checkSlot(slot, at, seen, report);
    for (const field of ['prompt', 'reprompt'] as const) {
      checkTemplates(slot[field], `${at}.${field}`, new Set(seen.keys()), report);
    }
    seen.set(slot.name, slot);
  });

  const all = new Set(seen.keys());
  checkTemplates(flow.confirm, 'confirm', all, report);
  checkTemplates(flow.declined, 'declined', all, report);
  checkTemplates(flow.complete.reply, 'complete.reply', all, report);
  checkTemplates(flow.complete.offerAgent, 'complete.offerAgent', all, report);
  const ticket = flow.complete.ticket;
  if (ticket) {
    checkTemplates({ subject: ticket.subject, description: ticket.description }, 'complete.ticket', all, report);
    ticket.fields?.forEach((f, i) => {
      if (!all.has(f)) report(`complete.ticket.fields.${i}`, `unknown slot "${f}"`);
    });
  }
}

function checkSlot(slot: SlotDefinition, at: string, earlier: ReadonlyMap<string, SlotDefinition>, report: (path: string, message: string) => void): void {
  const entity = slot.entity;
  if (entity !== undefined && typeof entity === 'object' && !Array.isArray(entity)) {
    const source = earlier.get(entity.fromSlot);
    if (!source) report(`${at}.entity.fromSlot`, `"${entity.fromSlot}" must name an earlier slot`);
    else if (!source.choices || !source.choices.every((c) => isEntityType(c.value))) {
      report(`${at}.entity.fromSlot`, `"${entity.fromSlot}" must be a choice slot whose values are entity types (${ENTITY_TYPES.join(', ')})`);
    }
  }
  if (slot.constraint && !(entity === 'date' || (Array.isArray(entity) && entity.includes('date')))) {
    report(`${at}.constraint`, 'date constraints need a slot that accepts dates');
  }
  if (slot.pattern !== undefined) {
    try {
      new RegExp(slot.pattern, 'u');
    } catch (err) {
      report(`${at}.pattern`, `invalid regular expression: ${(err as Error).message}`);
    }
  }
  if (slot.choices) {
    const values = slot.choices.map((c) => c.value);
    if (new Set(values).size !== values.length) report(`${at}.choices`, 'choice values must be unique');
  }
}

function checkTemplates(
  texts: Readonly<Record<string, string>> | undefined,
  at: string,
  slots: ReadonlySet<string>,
  report: (path: string, message: string) => void,
): void {
  if (!texts) return;
  for (const [key, text] of Object.entries(texts)) {
    for (const p of placeholdersOf(text)) {
      if (!slots.has(p.name)) report(`${at}.${key}`, `placeholder {${p.name}} names no ${at.startsWith('slots.') ? 'earlier ' : ''}slot of this flow`);
      if (p.filter !== null && !isTemplateFilter(p.filter)) report(`${at}.${key}`, `unknown filter ":${p.filter}" in {${p.name}:${p.filter}}`);
    }
  }
}

function checkExperiments(
  experiments: readonly Experiment[],
  flows: ReadonlyMap<string, ReadonlyMap<number, FlowDefinition>>,
  file: string,
  problems: FlowProblem[],
): void {
  const ids = new Set<string>();
  const flowOwner = new Map<string, string>();
  experiments.forEach((exp, i) => {
    const at = `experiments.${i}`;
    if (ids.has(exp.id)) problems.push({ file, path: `${at}.id`, message: `duplicate experiment "${exp.id}"` });
    ids.add(exp.id);
    const versions = flows.get(exp.flow);
    if (!versions) {
      problems.push({ file, path: `${at}.flow`, message: `unknown flow "${exp.flow}"` });
      return;
    }
    // Two live experiments on one flow would both pick its version; the results would be unreadable.
    const owner = flowOwner.get(exp.flow);
    if (exp.enabled && owner) problems.push({ file, path: `${at}.flow`, message: `flow "${exp.flow}" is already under experiment "${owner}"` });
    if (exp.enabled) flowOwner.set(exp.flow, exp.id);
    exp.variants.forEach((v, j) => {
      if (v.flowVersion !== undefined && !versions.has(v.flowVersion)) {
        problems.push({ file, path: `${at}.variants.${j}.flowVersion`, message: `flow "${exp.flow}" has no version ${v.flowVersion}` });
      }
    });
  });
}

function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}
