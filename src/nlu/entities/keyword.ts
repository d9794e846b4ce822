// "Keyword, some filler, then a value": how customers give identifiers ("order number is
// 12345678", "订单号是12345678", "account: 6222…"). The filler is skipped so the entity span is
// exactly the value.

export interface KeywordHit {
  keyword: string;
  match: string;
  start: number;
  end: number;
}

const FILLER = /(?:\s+|[:：#＃.,，]|\b(?:number|numbers|no|num|nr|id|is|was|are|of|it's|its)\b|号码|号|编号|是|为|：)*/iy;

/**
 * For every keyword match, the value matched by `value` (a sticky /y regex) right after the
 * keyword and any filler. Both regexes must be global/sticky; they are not mutated across calls.
 */
export function followingKeyword(text: string, keyword: RegExp, value: RegExp): KeywordHit[] {
  const hits: KeywordHit[] = [];
  const filler = new RegExp(FILLER.source, FILLER.flags);
  const sticky = new RegExp(value.source, value.flags.includes('y') ? value.flags : `${value.flags}y`);
  for (const k of text.matchAll(keyword)) {
    filler.lastIndex = k.index + k[0].length;
    filler.exec(text);
    const start = filler.lastIndex;
    sticky.lastIndex = start;
    const m = sticky.exec(text);
    if (m) hits.push({ keyword: k[0], match: m[0], start, end: start + m[0].length });
  }
  return hits;
}
