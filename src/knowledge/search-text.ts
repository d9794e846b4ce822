// Turns article text and customer queries into the token stream the FTS5 index understands.
// Pure functions: the same segmentation runs at index time and at query time, so they agree.
import { AppError } from '../errors/index.ts';

/**
 * Scripts written without spaces between words. unicode61 would treat a whole run of them as
 * one token, so such runs are rewritten as overlapping character bigrams (plus unigrams).
 */
const CJK_CHAR = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}`;
const CJK_RUN = new RegExp(`[${CJK_CHAR}]+`, 'gu');
/** Letters, digits and combining marks that are not CJK: what unicode61 keeps as token characters. */
const WORD = new RegExp(`(?:(?![${CJK_CHAR}])[\\p{L}\\p{N}\\p{M}])+`, 'gu');

/** Longer input is not a question a customer typed; refusing it keeps the OR query bounded. */
export const MAX_QUERY_LENGTH = 500;
/** A long sentence yields many bigrams; beyond this many distinct terms extra ones add only noise. */
export const MAX_QUERY_TERMS = 32;

/**
 * Words that carry no topic. Without this, "what time do you open" would rank on "what" and
 * "you" too. Stemmed-away forms are irrelevant because the index keeps them anyway; this only
 * trims the query. Kept when the query consists of nothing else.
 */
const EN_STOPWORDS = new Set(
  (
    'a an the i me my mine we our you your he she it its they them their is am are was were be been being ' +
    'do does did doing have has had can could would should will shall may might must to of in on at by for ' +
    'from with about as into up down out over under again then there here when where why how what which who ' +
    'whom this that these those and or but if so not no nor too very just any some all both each few more ' +
    'most other such only own same than please hi hello thanks thank want need like get got'
  ).split(' '),
);

/**
 * Chinese bigrams that occur in almost every question ("怎么", "请问") and so only dilute the
 * ranking; the FTS idf makes them cheap already, dropping them keeps snippets on the topic.
 */
const ZH_STOP_BIGRAMS = new Set(['怎么', '么办', '什么', '如何', '可以', '请问', '一下', '我的', '我们', '你们', '这个', '那个', '怎样', '是不', '不是', '需要', '要怎']);

function cjkTokens(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i]! + chars[i + 1]!);
  return bigrams;
}

/**
 * The indexed form of a piece of article text: CJK runs become "bigrams… unigrams…" (unigrams
 * so a one-character query such as "卡" still matches), everything else stays as written for
 * the porter/unicode61 tokenizer to stem and case-fold.
 */
export function toIndexText(text: string): string {
  return text.normalize('NFKC').replace(CJK_RUN, (run) => {
    const chars = [...run];
    const tokens = chars.length === 1 ? chars : [...cjkTokens(run), ...chars];
    return ` ${tokens.join(' ')} `;
  });
}

/** The distinct search terms of a customer's query, in order of appearance. */
export function queryTerms(query: string): string[] {
  const text = query.normalize('NFKC').toLowerCase();
  const found: { term: string; stop: boolean; at: number }[] = [];
  for (const m of text.matchAll(CJK_RUN)) {
    for (const t of cjkTokens(m[0])) found.push({ term: t, stop: ZH_STOP_BIGRAMS.has(t), at: m.index });
  }
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    found.push({ term: w, stop: EN_STOPWORDS.has(w) || (w.length === 1 && /[a-z]/.test(w)), at: m.index });
  }
  found.sort((a, b) => a.at - b.at);
  const meaningful = found.filter((f) => !f.stop);
  const chosen = meaningful.length > 0 ? meaningful : found;
  return [...new Set(chosen.map((f) => f.term))].slice(0, MAX_QUERY_TERMS);
}

/**
 * An FTS5 MATCH expression in which every term is a double-quoted string joined by OR, so
 * nothing the customer typed (quotes, AND, NEAR, column filters, *, ^) is read as syntax.
 * Terms hold only letters, digits and marks, so they can never contain the quote character.
 */
export function toMatchExpression(query: string): { expression: string; terms: string[] } {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new AppError('KB_QUERY_INVALID', `query is longer than ${MAX_QUERY_LENGTH} characters`, {
      field: 'query',
      reason: 'too long',
      maxLength: MAX_QUERY_LENGTH,
    });
  }
  const terms = queryTerms(query);
  if (terms.length === 0) {
    throw new AppError('KB_QUERY_INVALID', 'query contains no searchable words', { field: 'query', reason: 'no letters or digits' });
  }
  return { expression: terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR '), terms };
}

const SNIPPET_RADIUS = 60;

/** Crude suffix stripping so the snippet finds "open" for the query word "opening". */
function snippetPattern(term: string): string {
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (/^[\p{Script=Latin}\p{N}]+$/u.test(term)) {
    const stem = term.length > 4 ? term.replace(/(ing|ed|es|s|ly)$/u, '') : term;
    return escaped(stem);
  }
  return escaped(term);
}

/**
 * A short excerpt of `text` around the first place a query term occurs (the start of the text
 * when none does), with ellipses where it was cut.
 */
export function makeSnippet(text: string, terms: readonly string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= SNIPPET_RADIUS * 2) return flat;
  let at = -1;
  if (terms.length > 0) {
    const re = new RegExp(terms.map(snippetPattern).join('|'), 'iu');
    const m = re.exec(flat);
    if (m) at = [...flat.slice(0, m.index)].length;
  }
  const start = at < 0 ? 0 : Math.max(0, at - Math.floor(SNIPPET_RADIUS / 2));
  const end = Math.min(chars.length, start + SNIPPET_RADIUS * 2);
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('').trim()}${end < chars.length ? '…' : ''}`;
}
