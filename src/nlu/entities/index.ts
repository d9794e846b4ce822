// Entity extraction over the raw text, before any tokenization: node-nlp's Chinese segmenter
// splits digits one by one, which would destroy order, account and phone numbers.
import type { Entity, Language } from '../types.ts';
import { findAmounts } from './amounts.ts';
import { foldWidth, resolveOverlaps, type EntityCandidate } from './candidate.ts';
import { findEmails, findPhones } from './contact.ts';
import { findDates } from './dates.ts';
import { findAccountNumbers, findCardNumbers, findOrderNumbers } from './identifiers.ts';
import { findChineseNames, findEnglishNames } from './names.ts';

export interface ExtractEntitiesOptions {
  /** "Now" for relative and year-less dates; without it those dates are not reported. */
  referenceDate?: Date;
}

/**
 * All entities in `text`, non-overlapping, in text order. `start`/`end` are UTF-16 offsets
 * into `text`. Every extractor runs whatever the language (customers mix them: "我的order号是
 * AB123"); `language` only settles ambiguous formats (m/d/yyyy, 10-digit phone numbers).
 */
export function extractEntities(text: string, language: Language, options: ExtractEntitiesOptions = {}): Entity[] {
  const folded = foldWidth(text);
  const candidates: EntityCandidate[] = [
    ...findEmails(folded),
    ...findPhones(folded, language),
    ...findOrderNumbers(folded),
    ...findAccountNumbers(folded),
    ...findCardNumbers(folded),
    ...findDates(folded, language, options.referenceDate),
    ...findAmounts(folded),
    ...findEnglishNames(folded),
    ...findChineseNames(folded),
  ];
  // Spans were found on the width-folded copy; report the customer's own characters.
  return resolveOverlaps(candidates).map((entity) => ({ ...entity, text: text.slice(entity.start, entity.end) }));
}

export { passesLuhn } from './identifiers.ts';
export { normalizePhone } from './contact.ts';
export { parseChineseNumber } from './chinese-numerals.ts';
