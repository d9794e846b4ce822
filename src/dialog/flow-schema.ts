// The shape of the dialog data under models/flows/: flows (one YAML file per flow version),
// experiments.yaml and settings.yaml. Checked here field by field; cross-references (slot
// names in templates, trigger clashes, experiment targets) are checked in catalog.ts.
import { z } from 'zod';
import type { EntityType } from '../nlu/types.ts';

export const ENTITY_TYPES = [
  'order_number',
  'account_number',
  'card_number',
  'phone',
  'email',
  'date',
  'amount',
  'person_name',
] as const satisfies readonly EntityType[];

export const entityTypeSchema = z.enum(ENTITY_TYPES);

export const localizedSchema = z.strictObject({
  en: z.string().trim().min(1),
  zh: z.string().trim().min(1),
});

const slotNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'slot names are lower_snake_case');

const choiceSchema = z.strictObject({
  /** Stored slot value, e.g. "email". */
  value: z.string().min(1),
  /** How the bot names the choice in prompts and quick replies. */
  label: localizedSchema,
  /** Words that select this choice, matched case-insensitively anywhere in the message. */
  synonyms: z.strictObject({ en: z.array(z.string().min(1)).default([]), zh: z.array(z.string().min(1)).default([]) }),
  /** A message carrying an entity of this type also selects this choice ("it's bob@x.com" → email). */
  entity: entityTypeSchema.optional(),
});

/**
 * Which entity types fill a slot: one type, any of several, or — for a slot whose type depends
 * on an earlier answer — the value of an earlier choice slot (whose choice values are entity types).
 */
const slotEntitySchema = z.union([
  entityTypeSchema,
  z.array(entityTypeSchema).min(1),
  z.strictObject({ fromSlot: slotNameSchema }),
]);

const slotSchema = z
  .strictObject({
    name: slotNameSchema,
    entity: slotEntitySchema.optional(),
    choices: z.array(choiceSchema).min(2).optional(),
    prompt: localizedSchema,
    /** Said after an answer of the wrong kind; should carry a hint of the expected format. */
    reprompt: localizedSchema,
    /**
     * Fallback for context-dependent values the NLU cannot tag on its own (a bare "1234" only means
     * "last four card digits" because we just asked for them). Capture group 1, else the whole match.
     */
    pattern: z.string().optional(),
    /** Dates only: must be today or later ("future") / today or earlier ("past"). */
    constraint: z.enum(['future', 'past']).optional(),
    /** Reuse a value remembered from earlier in the conversation instead of asking (default true). */
    remember: z.boolean().default(true),
  })
  .refine((s) => (s.entity === undefined) !== (s.choices === undefined), {
    message: 'a slot needs exactly one of "entity" or "choices"',
  });

const ticketSchema = z.strictObject({
  /** Agent-facing, so one language; {slot} placeholders render raw slot values. */
  subject: z.string().min(1),
  description: z.string().default(''),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
  /** Slots copied into the ticket's fields; default all filled slots. */
  fields: z.array(slotNameSchema).optional(),
});

export const flowSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'flow ids are kebab-case'),
  version: z.number().int().min(1),
  /** Excluded from being the default version; reachable only through an experiment variant. */
  experimental: z.boolean().default(false),
  /** Noun phrase used in "Back to {title}: …" and in the list of what the bot can do. */
  title: localizedSchema,
  description: z.string().default(''),
  trigger: z.strictObject({ intents: z.array(z.string().min(1)).min(1) }),
  slots: z.array(slotSchema).default([]),
  /** Yes/no question asked once all slots are filled; skipped when absent or switched off by an experiment. */
  confirm: localizedSchema.optional(),
  /** Said when the customer declines the confirmation. */
  declined: localizedSchema.optional(),
  complete: z.strictObject({
    reply: localizedSchema,
    /** KB topic whose article (in the customer's language) is appended and cited. */
    cite: z.string().min(1).optional(),
    ticket: ticketSchema.optional(),
    /** Yes/no offer of a human agent after the answer; "yes" hands off with reason customer_request. */
    offerAgent: localizedSchema.optional(),
  }),
});

export type FlowDefinition = z.infer<typeof flowSchema>;
export type SlotDefinition = FlowDefinition['slots'][number];
export type ChoiceDefinition = NonNullable<SlotDefinition['choices']>[number];
export type TicketTemplate = NonNullable<FlowDefinition['complete']['ticket']>;

const variantSchema = z.strictObject({
  id: z.string().min(1),
  /** Relative weight; weights need not sum to 100. 0 keeps a variant defined but unassigned. */
  weight: z.number().min(0),
  /** Run this version of the experiment's flow instead of the default one. */
  flowVersion: z.number().int().min(1).optional(),
  /** Per-flow switches; currently whether the confirmation step is asked. */
  options: z.strictObject({ confirm: z.boolean().optional() }).default({}),
});

const experimentSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'experiment ids are kebab-case'),
    description: z.string().default(''),
    enabled: z.boolean().default(true),
    /** The flow whose version/options the variants select. */
    flow: z.string().min(1),
    variants: z.array(variantSchema).min(2),
  })
  .refine((e) => e.variants.some((v) => v.weight > 0), { message: 'at least one variant needs a positive weight' })
  .refine((e) => new Set(e.variants.map((v) => v.id)).size === e.variants.length, { message: 'variant ids must be unique' });

export const experimentsFileSchema = z.strictObject({ experiments: z.array(experimentSchema).default([]) });

export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentVariant = Experiment['variants'][number];

export const settingsSchema = z.strictObject({
  /** Greeting language when the channel does not know the customer's language yet. */
  defaultLanguage: z.enum(['zh', 'en']).default('zh'),
  /** Consecutive misunderstood messages (or wrong answers to a question) before handing off. */
  maxMisunderstandings: z.number().int().min(1).max(10).default(2),
  /** Intents below this confidence are treated as not understood (the NLU's own out-of-scope flag always is). */
  minIntentConfidence: z.number().min(0).max(1).default(0),
  /** The reply language switches to the message's language only when the NLU is at least this sure. */
  languageSwitchConfidence: z.number().min(0).max(1).default(0.6),
  /** How many flows may be suspended under the current one. */
  maxStackDepth: z.number().int().min(1).max(5).default(3),
  /**
   * When an unrecognized message may still be answered from a KB search (see fallback.ts). Scores
   * are the KB's negated BM25, so they scale with the corpus: the defaults were measured on the
   * demo KB (68 articles), where real questions scored 8.6–28.6 and chatter at most 6.8.
   */
  kbFallback: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** The top hit's score must reach this … */
      minScore: z.number().min(0).default(8),
      /** … and beat the runner-up by this factor, so an ambiguous search never becomes an answer. */
      minMargin: z.number().min(1).default(1.4),
    })
    .default({ enabled: true, minScore: 8, minMargin: 1.4 }),
  /** Entity types remembered across flows for reuse. Dates and amounts are too situational to reuse. */
  memoryEntityTypes: z
    .array(entityTypeSchema)
    .default(['account_number', 'card_number', 'phone', 'email', 'person_name', 'order_number']),
  /** Overrides of the built-in system messages (see messages.ts for keys and placeholders). */
  messages: z.record(z.string(), localizedSchema).default({}),
});

export type DialogSettings = z.infer<typeof settingsSchema>;
