// Public face of the NLU capability: language detection, entity extraction, intent
// classification with calibrated confidence and out-of-scope detection, and the service that
// keeps a model trained and serving.
export * from './types.ts';
export { detectLanguage, type LanguageGuess, type DetectLanguageOptions } from './language.ts';
export { extractEntities, type ExtractEntitiesOptions } from './entities/index.ts';
export {
  loadIntentFiles,
  parseIntentFile,
  intentsFromArticles,
  canonicalCorpus,
  corpusHash,
  IntentFileError,
  NONE_INTENT,
} from './corpus.ts';
export {
  trainModel,
  loadModel,
  modelVersion,
  resolveTrainOptions,
  TrainedModel,
  DEFAULT_TRAIN_OPTIONS,
  type TrainOptions,
  type TrainOptionsInput,
  type UnderstandOptions,
} from './model.ts';
export { ModelFormatError, type SerializedModel } from './model-format.ts';
export { NluService, type NluServiceOptions, type NluStatus, type RetrainResult } from './service.ts';
