// A trained NLU model: language detection, per-language intent classification with
// calibrated confidence and out-of-scope detection, and entity extraction.
//
// One classifier per language rather than one shared model: Chinese and English share almost
// no features (Han characters vs Latin words), so a joint model would only add a language
// feature to learn; separate models are each smaller and faster, use the analyzer that suits
// the language, and an intent with examples in one language simply is not a candidate in the
// other. Language detection routes the utterance; if a language has no training data at all,
// the other language's classifier is used.
import { createHash } from 'node:crypto';
import { trainLanguageClassifier, scoreUtterance, type ClassifierOptions, type LanguageClassifier, type LabelledUtterance } from './classifier.ts';
import type { Calibration } from './calibration.ts';
import { canonicalCorpus, corpusHash, NONE_INTENT } from './corpus.ts';
import { extractEntities } from './entities/index.ts';
import { DEFAULT_ANALYZER_OPTIONS } from './features.ts';
import { detectLanguage } from './language.ts';
import {
  deserializeClassifier,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  ModelFormatError,
  serializeClassifier,
  serializedModelSchema,
  type SerializedModel,
} from './model-format.ts';
import { DEFAULT_SVM_OPTIONS } from './svm.ts';
import { LANGUAGES, type Entity, type IntentScore, type Language, type TrainingCorpus, type Understanding } from './types.ts';

export interface TrainOptions extends ClassifierOptions {
  /** Calibrated confidence below which the best intent is not trusted and the utterance is
   * out of scope (handed off instead of answered). */
  outOfScopeThreshold: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  analyzer: DEFAULT_ANALYZER_OPTIONS,
  vectorizer: { minDf: 1, sublinearTf: true },
  svm: DEFAULT_SVM_OPTIONS,
  heldOutFraction: 0.2,
  pseudoOutOfScopeFraction: 0.1,
  // Fitted on BANKING77 (bench/nlu.ts); used only for corpora too small to fit their own.
  defaultCalibration: { temperature: 0.19, noneMargin: -0.28 },
  outOfScopeThreshold: 0.5,
};

/** Options as callers give them: any subset, nested groups merged over the defaults. */
export interface TrainOptionsInput {
  analyzer?: Partial<TrainOptions['analyzer']>;
  vectorizer?: Partial<TrainOptions['vectorizer']>;
  svm?: Partial<TrainOptions['svm']>;
  heldOutFraction?: number;
  pseudoOutOfScopeFraction?: number;
  defaultCalibration?: Partial<TrainOptions['defaultCalibration']>;
  outOfScopeThreshold?: number;
}

export function resolveTrainOptions(input: TrainOptionsInput = {}): TrainOptions {
  const d = DEFAULT_TRAIN_OPTIONS;
  return {
    analyzer: { ...d.analyzer, ...input.analyzer },
    vectorizer: { ...d.vectorizer, ...input.vectorizer },
    svm: { ...d.svm, ...input.svm },
    heldOutFraction: input.heldOutFraction ?? d.heldOutFraction,
    pseudoOutOfScopeFraction: input.pseudoOutOfScopeFraction ?? d.pseudoOutOfScopeFraction,
    defaultCalibration: { ...d.defaultCalibration, ...input.defaultCalibration },
    outOfScopeThreshold: input.outOfScopeThreshold ?? d.outOfScopeThreshold,
  };
}

export interface UnderstandOptions {
  /** Language of the conversation so far; decides text without letters ("12345678"). */
  languageHint?: Language;
  /** "Now" for relative dates ("tomorrow"); without it such dates are not extracted. */
  referenceDate?: Date;
}

export const RANKING_SIZE = 5;

/** Identifies a model by what determines it: the corpus and the options (training is
 * deterministic), so the same inputs always give the same version. */
export function modelVersion(corpus: TrainingCorpus, options: TrainOptions): string {
  return versionOf(corpusHash(corpus), options);
}

function versionOf(hash: string, options: TrainOptions): string {
  const digest = createHash('sha256')
    .update(`${MODEL_FORMAT_VERSION}\n${hash}\n${JSON.stringify(options)}`)
    .digest('hex');
  return `nlu-${digest.slice(0, 16)}`;
}

export class TrainedModel {
  readonly version: string;
  readonly corpusHash: string;
  readonly trainedAt: string;
  readonly options: TrainOptions;
  /** Every intent the model can answer with (not including "none"). */
  readonly intents: readonly string[];
  private readonly classifiers: Partial<Record<Language, LanguageClassifier>>;

  constructor(init: {
    version: string;
    corpusHash: string;
    trainedAt: string;
    options: TrainOptions;
    intents: readonly string[];
    classifiers: Partial<Record<Language, LanguageClassifier>>;
  }) {
    this.version = init.version;
    this.corpusHash = init.corpusHash;
    this.trainedAt = init.trainedAt;
    this.options = init.options;
    this.intents = init.intents;
    this.classifiers = init.classifiers;
  }

  understand(text: string, options: UnderstandOptions = {}): Understanding {
    const guess = detectLanguage(text, options.languageHint ? { hint: options.languageHint } : {});
    const entities = extractEntities(text, guess.language, options.referenceDate ? { referenceDate: options.referenceDate } : {});
    const base = { text, language: guess.language, languageConfidence: guess.confidence, entities };
    const classifier = this.classifiers[guess.language] ?? this.classifiers[otherLanguage(guess.language)];
    if (!classifier || !hasWordsBesides(text, entities)) {
      // A bare phone number, e-mail or account number carries entities but no intent; the
      // classifier would otherwise map its digit n-grams onto some intent with confidence.
      return { ...base, intent: null, confidence: 0, outOfScope: true, ranking: [] };
    }
    const { probabilities } = scoreUtterance(classifier, text, this.options.analyzer);
    const ranked = [...probabilities.keys()].sort((a, b) => probabilities[b]! - probabilities[a]!);
    const ranking: IntentScore[] = ranked
      .filter((k) => classifier.classes[k] !== NONE_INTENT)
      .slice(0, RANKING_SIZE)
      .map((k) => ({ intent: classifier.classes[k]!, score: round4(probabilities[k]!) }));
    const best = ranking[0];
    const noneWins = classifier.classes[ranked[0]!] === NONE_INTENT;
    const outOfScope = !best || noneWins || best.score < this.options.outOfScopeThreshold;
    return { ...base, intent: outOfScope ? null : best.intent, confidence: best?.score ?? 0, outOfScope, ranking };
  }

  /** Per-language summary: what each classifier knows and how its confidence is calibrated. */
  describe(): { language: Language; intents: number; terms: number; calibration: Calibration }[] {
    return LANGUAGES.flatMap((language) => {
      const c = this.classifiers[language];
      return c ? [{ language, intents: c.classes.length, terms: c.vectorizer.terms.length, calibration: c.calibration }] : [];
    });
  }

  toJSON(): SerializedModel {
    const classifiers: SerializedModel['classifiers'] = {};
    for (const language of LANGUAGES) {
      const c = this.classifiers[language];
      if (c) classifiers[language] = serializeClassifier(c);
    }
    return {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      version: this.version,
      corpusHash: this.corpusHash,
      trainedAt: this.trainedAt,
      options: { ...this.options },
      intents: [...this.intents],
      classifiers,
    };
  }
}

/** Trains on the corpus (deterministic for a given corpus and options). */
export function trainModel(corpus: TrainingCorpus, options: TrainOptionsInput = {}, now: () => Date = () => new Date()): TrainedModel {
  const resolved = resolveTrainOptions(options);
  const canonical = canonicalCorpus(corpus);
  const hash = corpusHash(canonical);
  const classifiers: Partial<Record<Language, LanguageClassifier>> = {};
  for (const language of LANGUAGES) {
    const utterances: LabelledUtterance[] = canonical.intents.flatMap((intent) =>
      (intent.examples[language] ?? []).map((text) => ({ text, label: intent.name })),
    );
    if (utterances.length > 0) classifiers[language] = trainLanguageClassifier(language, utterances, resolved);
  }
  return new TrainedModel({
    version: versionOf(hash, resolved),
    corpusHash: hash,
    trainedAt: now().toISOString(),
    options: resolved,
    intents: canonical.intents.map((i) => i.name).filter((name) => name !== NONE_INTENT),
    classifiers,
  });
}

/** Rebuilds a model from its JSON form (parsed object or string); throws ModelFormatError if
 * it is not a model this code can use. */
export function loadModel(json: unknown): TrainedModel {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new ModelFormatError('not JSON', { cause: err });
    }
  }
  const parsed = serializedModelSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelFormatError(`${issue.message} at ${issue.path.join('.') || '(root)'}`);
  }
  const s = parsed.data;
  const options = resolveTrainOptions(s.options);
  const classifiers: Partial<Record<Language, LanguageClassifier>> = {};
  for (const language of LANGUAGES) {
    const c = s.classifiers[language];
    if (c) classifiers[language] = deserializeClassifier(language, c, options.vectorizer.sublinearTf);
  }
  return new TrainedModel({
    version: s.version,
    corpusHash: s.corpusHash,
    trainedAt: s.trainedAt,
    options,
    intents: s.intents,
    classifiers,
  });
}

function otherLanguage(language: Language): Language {
  return language === 'zh' ? 'en' : 'zh';
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** True when the text has letters outside the entity spans (something an intent can be read from). */
export function hasWordsBesides(text: string, entities: readonly Entity[]): boolean {
  let rest = '';
  let at = 0;
  for (const e of [...entities].sort((a, b) => a.start - b.start)) {
    if (e.start > at) rest += text.slice(at, e.start);
    at = Math.max(at, e.end);
  }
  rest += text.slice(at);
  return /\p{L}/u.test(rest);
}
