// Person names the customer introduces themselves with ("my name is John Smith", "我叫王小明").
// Only self-introductions are used: a name anywhere else is too ambiguous to extract safely.
import { candidate, PRIORITY, type EntityCandidate } from './candidate.ts';

/** Phrases after which what follows is a name even in lower case. */
const EN_STRONG = /\b(?:my name is|my name's|name is|call me|this is|i am|i'm|im)\s+/gi;
const EN_NAME_WORD = /^[A-Za-z][A-Za-z'-]*$/;
/** Capitalized words that follow "I'm"/"this is" without being names. */
const EN_NOT_NAMES = new Set(
  ('a an the and or but so not no yes very really just still also here there sorry calling trying looking going ' +
    'having unable able interested afraid worried fine good ok okay new back done from with in at on about to ' +
    'my your his her our their please hi hello hey thanks thank i me you it this that what why how when where ' +
    'customer client member user mr mrs ms dr sir madam speaking writing wondering contacting').split(' '),
);
/** These triggers also introduce ordinary phrases ("I'm sorry", "this is urgent"), so what
 * follows them counts as a name only when it is capitalized. */
const EN_WEAK_TRIGGER = /^(?:this is|i am|i'm|im)\s+$/i;

export function findEnglishNames(text: string): EntityCandidate[] {
  const found: EntityCandidate[] = [];
  for (const m of text.matchAll(EN_STRONG)) {
    const weak = EN_WEAK_TRIGGER.test(m[0]);
    const start = m.index + m[0].length;
    const words: { word: string; end: number }[] = [];
    for (const w of text.slice(start).matchAll(/\S+/g)) {
      const word = w[0].replace(/[.,!?;:]+$/, '');
      const capitalized = /^[A-Z]/.test(word);
      if (!EN_NAME_WORD.test(word) || EN_NOT_NAMES.has(word.toLowerCase()) || (weak && !capitalized)) break;
      words.push({ word, end: start + w.index + word.length });
      // Punctuation right after a word ends the name ("I'm Li Wei, and ...").
      if (words.length === 3 || word !== w[0]) break;
    }
    const last = words.at(-1);
    if (last) {
      const value = words.map(({ word }) => titleCase(word)).join(' ');
      found.push(candidate('person_name', value, text, start, last.end, PRIORITY.name));
    }
  }
  return found;
}

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯', '端木', '轩辕'];
/** Common single-character surnames. Characters that more often start ordinary words after
 * "我是" (高级, 新用户, 老客户) are left out; "我叫" does not need the surname check. */
const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿焦俞左柳甘祝包舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲滕屈饶牟艾尤穆卓古吉缪褚娄窦戚岑宫卜晏席卫柏瞿桂佟臧闵苟邬卞姬仇栾隋刁巫寇桑郎甄佘'],
);
/** Characters that end a name: particles and the verbs that follow a self-introduction. */
const NAME_STOP = new Set([...'的了吗呢吧啊呀哦嘛想要在有是来给找问和跟我你他她这那请帮需能会就也还都从打刚现']);
const ZH_TRIGGER = /我叫|我的名字(?:是|叫)|名字(?:是|叫)|姓名(?:是|为|[:：])?|我是|本人是?/g;
const HAN = /\p{Script=Han}/u;

export function findChineseNames(text: string): EntityCandidate[] {
  const found: EntityCandidate[] = [];
  for (const m of text.matchAll(ZH_TRIGGER)) {
    const start = m.index + m[0].length;
    const rest = text.slice(start);
    const latin = /^\s*([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})/.exec(rest);
    if (latin) {
      const offset = start + latin[0].length - latin[1]!.length;
      found.push(candidate('person_name', latin[1]!, text, offset, offset + latin[1]!.length, PRIORITY.name));
      continue;
    }
    const name = chineseNameAt(rest, m[0] === '我是' || m[0].startsWith('本人'));
    if (name) found.push(candidate('person_name', name, text, start, start + name.length, PRIORITY.name));
  }
  return found;
}

/** The longest 2–4 character name at the start of `rest` that ends at a boundary (end of
 * text, non-Han character or a stop particle). */
function chineseNameAt(rest: string, needsSurname: boolean): string | null {
  const compound = COMPOUND_SURNAMES.find((s) => rest.startsWith(s));
  const surnameLength = compound ? 2 : SURNAMES.has(rest.charAt(0)) ? 1 : 0;
  if (needsSurname && surnameLength === 0) return null;
  if (!HAN.test(rest.charAt(0)) || NAME_STOP.has(rest.charAt(0))) return null;
  const maxLength = surnameLength === 2 ? 4 : 3;
  for (let length = maxLength; length >= 2; length--) {
    const candidateName = rest.slice(0, length);
    if (candidateName.length < length || ![...candidateName].every((ch) => HAN.test(ch))) continue;
    if ([...candidateName.slice(Math.max(surnameLength, 1))].some((ch) => NAME_STOP.has(ch))) continue;
    const next = rest.charAt(length);
    if (next === '' || !HAN.test(next) || NAME_STOP.has(next)) return candidateName;
  }
  return null;
}
