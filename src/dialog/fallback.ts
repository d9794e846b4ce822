// Graceful fallback for messages the NLU could not place: answer from a KB search only when
// the best hit is clearly the answer, otherwise say what the bot can do. Never a guess.
import type { Article, SearchHit } from '../knowledge/types.ts';
import type { Language } from '../nlu/types.ts';
import { findFlow, type FlowCatalog } from './catalog.ts';
import type { DialogSettings } from './flow-schema.ts';
import { joinList } from './messages.ts';

/** How many hits to ask for: two suffice to judge the margin. */
export const FALLBACK_SEARCH_LIMIT = 3;

/**
 * The score rule: the top hit must be in the customer's language, reach `minScore`, and beat the
 * runner-up by the factor `minMargin`. Two close hits mean the search is unsure which article
 * the customer meant, and a wrong article is worse than handing off.
 */
export function clearlyRelevantArticle(hits: readonly SearchHit[], language: Language, rule: DialogSettings['kbFallback']): Article | null {
  if (!rule.enabled) return null;
  const [top, second] = hits;
  if (!top || top.article.language !== language || top.score < rule.minScore) return null;
  if (second && second.score > 0 && top.score < second.score * rule.minMargin) return null;
  return top.article;
}

/** "resetting your password, a lost or stolen card, …" from the flows' titles. */
export function capabilityList(catalog: FlowCatalog, language: Language): string {
  const titles: string[] = [];
  for (const id of catalog.flows.keys()) {
    const flow = findFlow(catalog, id);
    if (flow) titles.push(flow.title[language]);
  }
  return joinList(catalog.settings, titles, language);
}
