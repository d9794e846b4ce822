// Messages between NluService and its training worker, validated on both sides.
import { z } from 'zod';
import { serializedModelSchema, trainOptionsInputSchema } from './model-format.ts';

const examplesSchema = z.array(z.string());

export const corpusSchema = z.object({
  intents: z.array(
    z.object({
      name: z.string().min(1),
      examples: z.object({ en: examplesSchema.optional(), zh: examplesSchema.optional() }),
    }),
  ),
});

export const trainRequestSchema = z.object({
  type: z.literal('train'),
  corpus: corpusSchema,
  options: trainOptionsInputSchema,
  /** Stamped into the model; the service's clock, since the worker has none of its own. */
  trainedAt: z.string(),
  /** Where the worker persists the model (temp file + rename) before replying. */
  modelPath: z.string().min(1),
});
export type TrainRequest = z.infer<typeof trainRequestSchema>;

export const trainReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('trained'), model: serializedModelSchema, trainedMs: z.number() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type TrainReply = z.infer<typeof trainReplySchema>;
