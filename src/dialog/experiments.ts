// A/B assignment: a conversation's variant is a pure function of (experiment id, conversation
// id), so a restart, a replay or another node assigns the same variant with nothing stored first.
import { createHash } from 'node:crypto';
import type { FlowCatalog } from './catalog.ts';
import type { Experiment, ExperimentVariant } from './flow-schema.ts';

/** Uniform in [0, 1) from the first 48 bits of SHA-256: stable across Node versions and machines. */
export function assignmentPoint(experimentId: string, conversationId: string): number {
  const digest = createHash('sha256').update(`${experimentId}\u0000${conversationId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function assignVariant(experiment: Experiment, conversationId: string): ExperimentVariant {
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  const point = assignmentPoint(experiment.id, conversationId) * total;
  let upTo = 0;
  for (const variant of experiment.variants) {
    upTo += variant.weight;
    if (variant.weight > 0 && point < upTo) return variant;
  }
  // Only reachable through floating-point rounding at the very top of the range.
  const last = experiment.variants.filter((v) => v.weight > 0).at(-1);
  if (!last) throw new Error(`experiment ${experiment.id} has no weighted variant`); // excluded by the schema
  return last;
}

/** Experiment id → variant id for every enabled experiment. */
export function assignExperiments(catalog: FlowCatalog, conversationId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const exp of catalog.experiments) if (exp.enabled) out[exp.id] = assignVariant(exp, conversationId).id;
  return out;
}

export interface FlowVariantChoice {
  version: number | undefined;
  askConfirmation: boolean | undefined;
}

/** What the conversation's assignments say about one flow: a pinned version and/or options. */
export function variantForFlow(catalog: FlowCatalog, assignments: Readonly<Record<string, string>>, flowId: string): FlowVariantChoice {
  for (const exp of catalog.experiments) {
    if (!exp.enabled || exp.flow !== flowId) continue;
    const variant = exp.variants.find((v) => v.id === assignments[exp.id]);
    if (variant) return { version: variant.flowVersion, askConfirmation: variant.options.confirm };
  }
  return { version: undefined, askConfirmation: undefined };
}

/** One string for the conversations.flow_variant column, e.g. "password-reset-confirm=no-confirm". */
export function describeAssignments(assignments: Readonly<Record<string, string>>): string {
  const parts = Object.entries(assignments)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([exp, variant]) => `${exp}=${variant}`);
  return parts.length > 0 ? parts.join(',') : 'default';
}
