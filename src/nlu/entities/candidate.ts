// Candidate entities carry a priority so overlapping matches can be settled: a match backed
// by a keyword ("account 13812345678") beats a bare pattern (a phone-shaped number).
import type { Entity } from '../types.ts';

export interface EntityCandidate extends Entity {
  /** Higher wins when spans overlap. */
  priority: number;
}

/** Match strengths, strongest first. */
export const PRIORITY = {
  email: 100,
  keyword: 90,
  keywordPhone: 85,
  pattern: 80,
  phone: 70,
  date: 60,
  amount: 55,
  bareCard: 50,
  name: 40,
} as const;

/**
 * Keeps the strongest non-overlapping candidates (ties: the longer, then the earlier),
 * returned in text order.
 */
export function resolveOverlaps(candidates: readonly EntityCandidate[]): Entity[] {
  const ranked = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: EntityCandidate[] = [];
  for (const candidate of ranked) {
    if (kept.every((k) => candidate.end <= k.start || candidate.start >= k.end)) kept.push(candidate);
  }
  return kept
    .sort((a, b) => a.start - b.start)
    .map(({ type, value, text, start, end }) => ({ type, value, text, start, end }));
}

/** Full-width ASCII (“１２３”, “＠”) and the ideographic space folded to ASCII without
 * changing string length, so regex offsets stay valid for the original text. */
export function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

export function candidate(
  type: Entity['type'],
  value: string,
  source: string,
  start: number,
  end: number,
  priority: number,
): EntityCandidate {
  return { type, value, text: source.slice(start, end), start, end, priority };
}
