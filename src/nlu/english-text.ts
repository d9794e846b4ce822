// English word analysis for intent features, delegated to node-nlp's English pipeline
// (@nlpjs/lang-en-min) so normalization, contractions and Porter stemming match node-nlp.
import { NormalizerEn, StemmerEn, TokenizerEn } from '@nlpjs/lang-en-min';

const normalizer = new NormalizerEn();
const tokenizer = new TokenizerEn();
const stemmer = new StemmerEn();

/** Lower-cases and strips diacritics ("Café" → "cafe"), as node-nlp does before tokenizing. */
export function normalizeEnglish(text: string): string {
  // node-nlp's contraction rules turn "can't" into "ca not"; spelling it out first keeps "can".
  return normalizer.normalize(text).replace(/\bcan't\b/g, 'cannot').replace(/\bwon't\b/g, 'will not');
}

/** Stemmed word tokens of already-normalized text ("activating cards" → ["activ", "card"]). */
export function englishStems(normalized: string): string[] {
  return stemmer.stem(tokenizer.tokenize(normalized));
}
