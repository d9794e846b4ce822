// Test fixtures for the knowledge base: a real SQLite file in a fresh temp dir, a controllable
// clock, and small hand-written articles whose wording each test relies on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, type ErrorCode } from '../../src/errors/index.ts';
import { KnowledgeBase, type ArticleInput } from '../../src/knowledge/index.ts';
import { openDatabase, type Db } from '../../src/store/index.ts';

export interface TestKb {
  kb: KnowledgeBase;
  db: Db;
  dir: string;
  /** Moves the injected clock forward. */
  tick(ms?: number): void;
  cleanup(): void;
}

export function openTestKb(): TestKb {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-kb-'));
  const db = openDatabase({ path: join(dir, 'switchboard.db') });
  let now = Date.parse('2025-03-01T08:00:00.000Z');
  const kb = new KnowledgeBase(db, { clock: () => new Date(now) });
  return {
    kb,
    db,
    dir,
    tick: (ms = 1000) => {
      now += ms;
    },
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` and returns the AppError it threw; fails the test when it throws anything else or nothing. */
export function catchAppError(fn: () => unknown, code?: ErrorCode): AppError {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`, { cause: err });
    if (code !== undefined && err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`, { cause: err });
    return err;
  }
  throw new Error(`expected an AppError${code ? ` ${code}` : ''}, but nothing was thrown`);
}

export const lostCardEn: ArticleInput = {
  topic: 'lost-card',
  language: 'en',
  category: 'lost-card',
  title: 'Lost or stolen card',
  body: 'Block your card at once in the app or call the hotline, then order a replacement at the counter.',
  tags: ['cards', 'urgent'],
  questions: ['I lost my card', 'my card was stolen'],
};

export const lostCardZh: ArticleInput = {
  topic: 'lost-card',
  language: 'zh',
  category: 'lost-card',
  title: '银行卡挂失',
  body: '银行卡丢失请立即在手机银行挂失，或拨打客服热线，然后到柜台补办新卡。',
  tags: ['cards'],
  questions: ['我的卡丢了怎么办', '卡被偷了'],
};

export const openingHoursEn: ArticleInput = {
  topic: 'opening-hours',
  language: 'en',
  category: 'opening-hours',
  title: 'Opening hours',
  body: 'We are open Monday to Friday from 9:00 to 17:00.',
  questions: ['what time do you open', 'when do you close'],
};

export const passwordZh: ArticleInput = {
  topic: 'password-reset',
  language: 'zh',
  category: 'password-reset',
  title: '网银登录密码重置',
  body: '在登录页点击忘记密码，通过短信验证后设置新密码。',
  questions: ['网银密码忘了'],
};
