// Money amounts → "<decimal with 2 places> <ISO 4217 code>". A bare ¥ is read as yuan: the
// appliance serves mainland-Chinese branches, where ¥ means CNY, not JPY.
import { candidate, PRIORITY, type EntityCandidate } from './candidate.ts';
import { CHINESE_NUMERAL_CHARS, parseChineseNumber } from './chinese-numerals.ts';

const NUMBER = '(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)';

const PREFIX_CURRENCY: [RegExp, string][] = [
  [/^(?:us\$|usd)$/i, 'USD'],
  [/^(?:hk\$|hkd)$/i, 'HKD'],
  [/^\$$/, 'USD'],
  [/^(?:rmb|cny|¥|￥)$/i, 'CNY'],
  [/^(?:€|eur)$/i, 'EUR'],
  [/^(?:£|gbp)$/i, 'GBP'],
];
const SUFFIX_CURRENCY: [RegExp, string][] = [
  [/^(?:us dollars?|usd|美元|美金)$/i, 'USD'],
  [/^(?:hong kong dollars?|hkd|港币|港元)$/i, 'HKD'],
  [/^(?:dollars?|bucks?)$/i, 'USD'],
  [/^(?:rmb|cny|yuan|renminbi|元|块钱|块|人民币)$/i, 'CNY'],
  [/^(?:euros?|eur|欧元)$/i, 'EUR'],
  [/^(?:pounds?|gbp|英镑)$/i, 'GBP'],
];

const PREFIXED = new RegExp(`(?<![A-Za-z0-9])(US\\$|HK\\$|USD|HKD|RMB|CNY|EUR|GBP|\\$|¥|￥|€|£)\\s?${NUMBER}(?![\\d.])`, 'gi');
const SUFFIX_WORDS =
  'us dollars?|hong kong dollars?|dollars?|bucks?|usd|hkd|rmb|cny|yuan|renminbi|euros?|eur|pounds?|gbp|美元|美金|港币|港元|欧元|英镑|人民币|块钱|块|元';
const SUFFIXED = new RegExp(`(?<![\\d.,])${NUMBER}\\s?(${SUFFIX_WORDS})(?![A-Za-z])`, 'gi');
const CHINESE_SUFFIXED = new RegExp(`([${CHINESE_NUMERAL_CHARS}]+)(美元|美金|港币|港元|欧元|英镑|人民币|块钱|块|元)`, 'g');

export function findAmounts(text: string): EntityCandidate[] {
  const found: EntityCandidate[] = [];
  for (const m of text.matchAll(PREFIXED)) {
    const currency = currencyOf(m[1]!, PREFIX_CURRENCY);
    if (currency) found.push(amount(text, m, Number(m[2]!.replace(/,/g, '')), currency));
  }
  for (const m of text.matchAll(SUFFIXED)) {
    const currency = currencyOf(m[2]!, SUFFIX_CURRENCY);
    if (currency) found.push(amount(text, m, Number(m[1]!.replace(/,/g, '')), currency));
  }
  for (const m of text.matchAll(CHINESE_SUFFIXED)) {
    const value = parseChineseNumber(m[1]!);
    const currency = currencyOf(m[2]!, SUFFIX_CURRENCY);
    if (value !== null && currency) found.push(amount(text, m, value, currency));
  }
  return found;
}

function currencyOf(token: string, table: [RegExp, string][]): string | null {
  return table.find(([pattern]) => pattern.test(token.trim()))?.[1] ?? null;
}

function amount(text: string, m: RegExpMatchArray, value: number, currency: string): EntityCandidate {
  return candidate('amount', `${value.toFixed(2)} ${currency}`, text, m.index!, m.index! + m[0].length, PRIORITY.amount);
}
