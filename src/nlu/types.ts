// What understanding a customer's message yields; the dialog engine and the conversation
// service consume only these types, never node-nlp's own objects.

export type Language = 'zh' | 'en';
export const LANGUAGES: readonly Language[] = ['zh', 'en'];

export type EntityType =
  | 'order_number'
  | 'account_number'
  | 'card_number'
  | 'phone'
  | 'email'
  | 'date'
  | 'amount'
  | 'person_name';

export interface Entity {
  type: EntityType;
  /** Normalized value: E.164-ish phone, lower-cased e-mail, ISO date (YYYY-MM-DD), amount as decimal string with currency e.g. "120.50 CNY". */
  value: string;
  /** The span as the customer wrote it. */
  text: string;
  start: number;
  end: number;
}

export interface IntentScore {
  intent: string;
  score: number;
}

export interface Understanding {
  text: string;
  language: Language;
  /** 0..1 */
  languageConfidence: number;
  /** Best intent, or null when out of scope. */
  intent: string | null;
  /** Calibrated 0..1 confidence of `intent` (of the best candidate when out of scope). */
  confidence: number;
  outOfScope: boolean;
  /** Top candidates, best first (at most 5). */
  ranking: IntentScore[];
  entities: Entity[];
}

/** One intent from the intent files under models/ (or generated from a KB article). */
export interface IntentDefinition {
  name: string;
  /** Training utterances per language. */
  examples: Partial<Record<Language, string[]>>;
}

/** Everything a model is trained from. */
export interface TrainingCorpus {
  intents: IntentDefinition[];
}
