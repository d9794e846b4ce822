// The persisted model: a JSON document validated on load, with float arrays stored as base64
// of little-endian Float32 (about a third the size of JSON numbers, and exact).
import { z } from 'zod';
import type { LanguageClassifier } from './classifier.ts';
import { buildVectorizer } from './vectorizer.ts';

export const MODEL_FORMAT = 'switchboard-nlu-model';
export const MODEL_FORMAT_VERSION = 1;

export class ModelFormatError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`NLU model is unreadable: ${detail}`, options);
    this.name = 'ModelFormatError';
  }
}

const classifierSchema = z.object({
  classes: z.array(z.string()).min(1),
  terms: z.array(z.string()),
  idf: z.string(),
  weights: z.string(),
  bias: z.string(),
  calibration: z.object({ temperature: z.number().positive(), noneMargin: z.number() }),
});

const positiveInt = z.number().int().positive();
/** Training options as stored; any subset, merged over today's defaults on load. */
export const trainOptionsInputSchema = z.object({
  analyzer: z
    .object({ charMin: positiveInt, charMax: positiveInt, wordMax: positiveInt, zhMin: positiveInt, zhMax: positiveInt })
    .partial()
    .optional(),
  vectorizer: z.object({ minDf: positiveInt, sublinearTf: z.boolean() }).partial().optional(),
  svm: z
    .object({ C: z.number().positive(), epsilon: z.number().positive(), maxIterations: positiveInt, seed: z.number().int() })
    .partial()
    .optional(),
  heldOutFraction: z.number().min(0).max(0.5).optional(),
  pseudoOutOfScopeFraction: z.number().min(0).max(0.5).optional(),
  defaultCalibration: z.object({ temperature: z.number().positive(), noneMargin: z.number() }).partial().optional(),
  outOfScopeThreshold: z.number().min(0).max(1).optional(),
});

export const serializedModelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.literal(MODEL_FORMAT_VERSION),
  version: z.string().min(1),
  corpusHash: z.string().min(1),
  trainedAt: z.string(),
  options: trainOptionsInputSchema,
  intents: z.array(z.string()),
  classifiers: z.object({ en: classifierSchema.optional(), zh: classifierSchema.optional() }),
});

export type SerializedModel = z.infer<typeof serializedModelSchema>;
export type SerializedClassifier = z.infer<typeof classifierSchema>;

export function serializeClassifier(c: LanguageClassifier): SerializedClassifier {
  return {
    classes: c.classes,
    terms: c.vectorizer.terms,
    idf: encodeFloats(Float32Array.from(c.vectorizer.idf)),
    weights: encodeFloats(c.linear.weights),
    bias: encodeFloats(c.linear.bias),
    calibration: c.calibration,
  };
}

export function deserializeClassifier(language: LanguageClassifier['language'], s: SerializedClassifier, sublinearTf: boolean): LanguageClassifier {
  const idf = decodeFloats(s.idf);
  const weights = decodeFloats(s.weights);
  const bias = decodeFloats(s.bias);
  const classes = s.classes.length;
  if (idf.length !== s.terms.length) throw new ModelFormatError(`${language}: ${idf.length} idf values for ${s.terms.length} terms`);
  if (bias.length !== classes || weights.length !== s.terms.length * classes) {
    throw new ModelFormatError(`${language}: weight matrix does not match ${s.terms.length} terms × ${classes} intents`);
  }
  return {
    language,
    classes: s.classes,
    vectorizer: buildVectorizer(s.terms, Float64Array.from(idf), sublinearTf),
    linear: { classes, features: s.terms.length, weights, bias },
    calibration: s.calibration,
  };
}

function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function decodeFloats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new ModelFormatError('float array is not a multiple of 4 bytes');
  // Copy into a fresh, aligned buffer: Buffer slices may start at any byte offset.
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
