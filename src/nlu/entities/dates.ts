// Dates → YYYY-MM-DD. Dates without a year and relative words ("tomorrow", "明天") are
// resolved against an injected reference date (its calendar day in the process time zone);
// without one they are not reported, because guessing the clock would make results depend
// on when the code runs.
import { candidate, PRIORITY, type EntityCandidate } from './candidate.ts';
import { CHINESE_NUMERAL_CHARS, parseChineseNumber } from './chinese-numerals.ts';
import type { Language } from '../types.ts';

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH_NAME =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const ORDINAL = '(?:st|nd|rd|th)?';

const YMD = /(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])/g;
const MDY = /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d/])/g;
const MONTH_DAY = new RegExp(`\\b${MONTH_NAME}\\.?\\s+(\\d{1,2})${ORDINAL}\\b(?:,?\\s+(\\d{4})\\b)?`, 'gi');
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})${ORDINAL}\\s+(?:of\\s+)?${MONTH_NAME}\\b\\.?(?:,?\\s+(\\d{4})\\b)?`, 'gi');
const ZH_NUM = `\\d+|[${CHINESE_NUMERAL_CHARS}]+`;
const ZH_DATE = new RegExp(`(?:(${ZH_NUM})年)?(${ZH_NUM})月(${ZH_NUM})[日号號]`, 'g');

// Months (statement periods): resolved to the first day of the month.
const MONTH_YEAR = new RegExp(`\\b${MONTH_NAME}\\.?,?\\s+(\\d{4})\\b`, 'gi');
const YM = /(?<![\d.\/-])(\d{4})[-/.](\d{1,2})(?![\d]|[-/.]\d)/g;
const ZH_MONTH = new RegExp(`(?:(${ZH_NUM})年)?(${ZH_NUM})月(?:份)?(?!\\s*(?:${ZH_NUM})[日号號])`, 'g');
const EN_RELATIVE_MONTH_RE = /\b(last|this|next|previous|current)\s+month\b/gi;
const EN_RELATIVE_MONTH: Record<string, number> = { last: -1, previous: -1, this: 0, current: 0, next: 1 };
const ZH_RELATIVE_MONTH_RE = /上个?月|本月|这个?月|下个?月/g;
const zhRelativeMonth = (word: string) => (word.startsWith('上') ? -1 : word.startsWith('下') ? 1 : 0);

// Weekdays (appointments): "Tuesday" / "周二" is the next such day from today (today
// included); "next Tuesday" the next one after today; "下周二" the Tuesday of next week.
const EN_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const EN_WEEKDAY_RE = /\b(?:(next|this|on)\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/gi;
const ZH_WEEKDAY_RE = /(下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天])/g;
const ZH_WEEKDAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

const EN_RELATIVE: Record<string, number> = {
  'the day before yesterday': -2,
  yesterday: -1,
  today: 0,
  tonight: 0,
  tomorrow: 1,
  'the day after tomorrow': 2,
};
const ZH_RELATIVE: Record<string, number> = {
  大前天: -3, 前天: -2, 昨天: -1, 昨日: -1, 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3,
};
const EN_RELATIVE_RE = /\b(the day before yesterday|the day after tomorrow|yesterday|today|tonight|tomorrow)\b/gi;
const ZH_RELATIVE_RE = /大前天|大后天|前天|昨天|昨日|今天|今日|明天|明日|后天/g;

export function findDates(text: string, language: Language, referenceDate: Date | undefined): EntityCandidate[] {
  const found: EntityCandidate[] = [];
  const refYear = referenceDate?.getFullYear();
  const push = (m: RegExpMatchArray, y: number | undefined, mo: number, d: number): void => {
    const value = y === undefined ? null : isoDate(y, mo, d);
    if (value) found.push(candidate('date', value, text, m.index!, m.index! + m[0].length, PRIORITY.date));
  };
  for (const m of text.matchAll(YMD)) push(m, Number(m[1]), Number(m[2]), Number(m[3]));
  // m/d/yyyy is the English-speaking customer's order; Chinese writes year first.
  if (language === 'en') for (const m of text.matchAll(MDY)) push(m, Number(m[3]), Number(m[1]), Number(m[2]));
  for (const m of text.matchAll(MONTH_DAY)) {
    push(m, m[3] ? Number(m[3]) : refYear, monthNumber(m[1]!), Number(m[2]));
  }
  for (const m of text.matchAll(DAY_MONTH)) {
    push(m, m[3] ? Number(m[3]) : refYear, monthNumber(m[2]!), Number(m[1]));
  }
  for (const m of text.matchAll(ZH_DATE)) {
    const year = m[1] ? zhNumber(m[1]) : refYear;
    const month = zhNumber(m[2]!);
    const day = zhNumber(m[3]!);
    if (year !== null && month !== null && day !== null) push(m, year, month, day);
  }
  for (const m of text.matchAll(MONTH_YEAR)) push(m, Number(m[2]), monthNumber(m[1]!), 1);
  for (const m of text.matchAll(YM)) push(m, Number(m[1]), Number(m[2]), 1);
  for (const m of text.matchAll(ZH_MONTH)) {
    const year = m[1] ? zhNumber(m[1]) : refYear;
    const month = zhNumber(m[2]!);
    if (year !== null && year !== undefined && month !== null) push(m, year, month, 1);
  }
  if (referenceDate) {
    const at = (m: RegExpMatchArray, value: string) => found.push(candidate('date', value, text, m.index!, m.index! + m[0].length, PRIORITY.date));
    for (const m of text.matchAll(EN_RELATIVE_MONTH_RE)) at(m, shiftMonths(referenceDate, EN_RELATIVE_MONTH[m[1]!.toLowerCase()]!));
    for (const m of text.matchAll(ZH_RELATIVE_MONTH_RE)) at(m, shiftMonths(referenceDate, zhRelativeMonth(m[0])));
    for (const m of text.matchAll(EN_WEEKDAY_RE)) {
      const weekday = EN_WEEKDAYS.indexOf(m[2]!.toLowerCase());
      at(m, nextWeekday(referenceDate, weekday, m[1]?.toLowerCase() === 'next' ? 1 : 0));
    }
    for (const m of text.matchAll(ZH_WEEKDAY_RE)) {
      const weekday = ZH_WEEKDAY[m[2]!]!;
      at(m, m[1]?.startsWith('下') ? weekdayOfNextWeek(referenceDate, weekday) : nextWeekday(referenceDate, weekday, 0));
    }
    for (const m of text.matchAll(EN_RELATIVE_RE)) {
      const offset = EN_RELATIVE[m[0].toLowerCase()]!;
      found.push(candidate('date', shiftDays(referenceDate, offset), text, m.index, m.index + m[0].length, PRIORITY.date));
    }
    for (const m of text.matchAll(ZH_RELATIVE_RE)) {
      const offset = ZH_RELATIVE[m[0]]!;
      found.push(candidate('date', shiftDays(referenceDate, offset), text, m.index, m.index + m[0].length, PRIORITY.date));
    }
  }
  return found;
}

function monthNumber(name: string): number {
  return MONTHS[name.toLowerCase().slice(0, name.toLowerCase().startsWith('sept') ? 4 : 3)]!;
}

function zhNumber(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : parseChineseNumber(text);
}

/** YYYY-MM-DD, or null for impossible dates (Feb 30, month 13). */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1900 || year > 2200) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function shiftDays(reference: Date, days: number): string {
  const local = new Date(reference.getFullYear(), reference.getMonth(), reference.getDate() + days);
  return isoDate(local.getFullYear(), local.getMonth() + 1, local.getDate())!;
}

/** First day of the month `months` away from the reference date's month. */
function shiftMonths(reference: Date, months: number): string {
  const first = new Date(reference.getFullYear(), reference.getMonth() + months, 1);
  return isoDate(first.getFullYear(), first.getMonth() + 1, 1)!;
}

/** The next `weekday` (0 = Sunday) on or after the reference day, or strictly after it (minDays 1). */
function nextWeekday(reference: Date, weekday: number, minDays: 0 | 1): string {
  const delta = (weekday - reference.getDay() + 7) % 7;
  return shiftDays(reference, delta < minDays ? delta + 7 : delta);
}

/** `weekday` of the calendar week (Monday first) after the reference day's week, as 下周X means. */
function weekdayOfNextWeek(reference: Date, weekday: number): string {
  const sinceMonday = (reference.getDay() + 6) % 7;
  const nextMonday = 7 - sinceMonday;
  return shiftDays(reference, nextMonday + ((weekday + 6) % 7));
}
