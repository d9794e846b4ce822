// Chinese numerals → numbers: "一百二十" → 120, "两千零五" → 2005, "三点五" → 3.5,
// "二〇二四" → 2024 (digit-by-digit, as years are written).

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿点';

export function parseChineseNumber(text: string): number | null {
  const [integerPart = '', fractionPart, ...rest] = text.split('点');
  if (rest.length > 0 || (integerPart === '' && fractionPart === undefined)) return null;
  const integer = integerPart === '' ? 0 : parseChineseInteger(integerPart);
  if (integer === null) return null;
  if (fractionPart === undefined) return integer;
  const fraction = [...fractionPart].map((ch) => DIGITS[ch]);
  if (fraction.length === 0 || fraction.some((d) => d === undefined)) return null;
  return Number(`${integer}.${fraction.join('')}`);
}

function parseChineseInteger(text: string): number | null {
  const chars = [...text];
  if (chars.every((ch) => ch in DIGITS) && chars.length > 1) {
    // Positional digits without units ("二〇二四").
    return Number(chars.map((ch) => DIGITS[ch]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of chars) {
    const d = DIGITS[ch];
    const small = SMALL_UNITS[ch];
    const big = BIG_UNITS[ch];
    if (d !== undefined) {
      digit = d;
    } else if (small !== undefined) {
      // "十五": a unit without a digit before it means one of it.
      section += (digit || 1) * small;
      digit = 0;
    } else if (big !== undefined) {
      total += (section + digit) * big;
      section = 0;
      digit = 0;
    } else {
      return null;
    }
  }
  return total + section + digit;
}
