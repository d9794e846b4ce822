// The intent classifier for one language: analyzer → TF-IDF → one-vs-rest linear SVM →
// calibrated probabilities. Training first fits a probe model on part of the data to learn
// the calibration (including how often "none of these" is right, from a few intents hidden
// from the probe entirely), then retrains on everything.
import { calibratedProbabilities, fitCalibration, type Calibration, type CalibrationExample } from './calibration.ts';
import { analyze, type AnalyzerOptions } from './features.ts';
import { seededRandom, shuffleInPlace } from './random.ts';
import { stackRows } from './sparse.ts';
import { decisionValues, trainOneVsRest, type LinearModel, type SvmOptions } from './svm.ts';
import type { Language } from './types.ts';
import { fitVectorizer, vectorize, type Vectorizer, type VectorizerOptions } from './vectorizer.ts';

export interface ClassifierOptions {
  analyzer: AnalyzerOptions;
  vectorizer: VectorizerOptions;
  svm: SvmOptions;
  /** Share of each intent's examples held out to fit the calibration. */
  heldOutFraction: number;
  /** Share of intents hidden from the probe model to stand in for out-of-scope queries. */
  pseudoOutOfScopeFraction: number;
  /** Used when the corpus is too small for a meaningful held-out fit. */
  defaultCalibration: Calibration;
}

export interface LabelledUtterance {
  text: string;
  label: string;
}

export interface LanguageClassifier {
  language: Language;
  classes: string[];
  vectorizer: Vectorizer;
  linear: LinearModel;
  calibration: Calibration;
}

/** Fewer held-out utterances than this make the calibration estimate noise. */
const MIN_HELD_OUT = 30;
/** Intents with fewer examples keep them all for training. */
const MIN_EXAMPLES_TO_HOLD_OUT = 5;
/** Hiding intents only makes sense when plenty remain to train the probe on. */
const MIN_CLASSES_FOR_PSEUDO_OOS = 10;

export function trainLanguageClassifier(
  language: Language,
  utterances: readonly LabelledUtterance[],
  options: ClassifierOptions,
): LanguageClassifier {
  const classes = [...new Set(utterances.map((u) => u.label))].sort();
  const labelOf = new Map(classes.map((c, i) => [c, i]));
  const terms = utterances.map((u) => analyze(u.text, language, options.analyzer));
  const labels = Int32Array.from(utterances, (u) => labelOf.get(u.label)!);
  const calibration = calibrate(language, classes, terms, labels, options);
  return fit(language, classes, terms, labels, options, calibration);
}

function calibrate(
  language: Language,
  classes: string[],
  terms: string[][],
  labels: Int32Array,
  options: ClassifierOptions,
): Calibration {
  const random = seededRandom(options.svm.seed ^ 0x5eed);
  const hidden = pickHiddenClasses(classes, labels, options.pseudoOutOfScopeFraction, random);
  const heldOut = new Set(stratifiedSample(labels, classes.length, options.heldOutFraction, random));
  if (heldOut.size < MIN_HELD_OUT) return options.defaultCalibration;

  // The probe never sees hidden intents nor held-out examples.
  const probeClasses = classes.filter((_, k) => !hidden.has(k));
  const probeLabelOf = new Map(probeClasses.map((c, i) => [classes.indexOf(c), i]));
  const trainIdx = [...labels.keys()].filter((i) => !heldOut.has(i) && !hidden.has(labels[i]!));
  const probe = fit(
    language,
    probeClasses,
    trainIdx.map((i) => terms[i]!),
    Int32Array.from(trainIdx, (i) => probeLabelOf.get(labels[i]!)!),
    options,
    options.defaultCalibration,
  );
  // Hidden intents contribute the same share of their examples as the others, so the
  // "none" rate in the calibration set mirrors the share of hidden intents.
  const examples: CalibrationExample[] = [...heldOut].map((i) => ({
    margins: marginsOf(probe, terms[i]!),
    label: probeLabelOf.get(labels[i]!) ?? -1,
  }));
  return fitCalibration(examples, options.defaultCalibration);
}

function pickHiddenClasses(classes: string[], labels: Int32Array, fraction: number, random: () => number): Set<number> {
  if (classes.length < MIN_CLASSES_FOR_PSEUDO_OOS || fraction <= 0) return new Set();
  const order = classes.map((_, k) => k);
  shuffleInPlace(order, random);
  const count = Math.max(1, Math.round(classes.length * fraction));
  return new Set(order.slice(0, count).filter((k) => labels.some((l) => l === k)));
}

function fit(
  language: Language,
  classes: string[],
  documents: string[][],
  labels: Int32Array,
  options: ClassifierOptions,
  calibration: Calibration,
): LanguageClassifier {
  const vectorizer = fitVectorizer(documents, options.vectorizer);
  const x = stackRows(
    documents.map((doc) => vectorize(vectorizer, doc)),
    vectorizer.terms.length,
  );
  const linear = trainOneVsRest(x, labels, classes.length, options.svm);
  return { language, classes, vectorizer, linear, calibration };
}

function marginsOf(classifier: LanguageClassifier, terms: readonly string[]): Float64Array {
  const v = vectorize(classifier.vectorizer, terms);
  return decisionValues(classifier.linear, v.indices, v.values);
}

export interface ClassScores {
  margins: Float64Array;
  /** Calibrated; sums to less than 1, the rest being "none of these". */
  probabilities: Float64Array;
}

export function scoreUtterance(classifier: LanguageClassifier, text: string, analyzer: AnalyzerOptions): ClassScores {
  const margins = marginsOf(classifier, analyze(text, classifier.language, analyzer));
  return { margins, probabilities: calibratedProbabilities(margins, classifier.calibration) };
}

/** ⌊fraction·n⌋ randomly chosen examples of every class with enough examples. */
function stratifiedSample(labels: Int32Array, classes: number, fraction: number, random: () => number): number[] {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, i) => byClass[label]!.push(i));
  const sample: number[] = [];
  for (const members of byClass) {
    if (members.length < MIN_EXAMPLES_TO_HOLD_OUT) continue;
    shuffleInPlace(members, random);
    sample.push(...members.slice(0, Math.floor(members.length * fraction)));
  }
  return sample.sort((a, b) => a - b);
}
