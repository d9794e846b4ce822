// `switchboard selftest`: proves on site, with no internet, that the box hears, understands,
// answers and stores — a phrase is synthesized, recognized by the installed speech model,
// classified, answered from the knowledge base by the dialog, and the database is written and
// read. Each check reports what it saw; any failure makes the exit code non-zero.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/index.ts';
import { loadConfig } from '../config/index.ts';
import { handleTurn, loadFlows, startConversation } from '../dialog/index.ts';
import { AppError } from '../errors/index.ts';
import { KnowledgeBase } from '../knowledge/index.ts';
import { intentsFromArticles, loadIntentFiles, NluService, type Language } from '../nlu/index.ts';
import { silentLogger } from '../ops/index.ts';
import { EspeakTts, ModelCatalog, RecognizerPool, SpeechRecognition, transcriptText } from '../speech/index.ts';
import { newId, openDatabase, type Db } from '../store/index.ts';
import type { Command } from './commands.ts';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/** A phrase the demo models know, spoken through the appliance's own TTS, and what it must lead to. */
const PROBES: Record<Language, { words: string; intent: string; article: string }> = {
  en: { words: 'open hours', intent: 'kb.opening-hours', article: 'opening-hours.en' },
  zh: { words: '营业时间', intent: 'kb.opening-hours', article: 'opening-hours.zh' },
};

/** Words (Hanzi: characters) of a transcript, the units containsInOrder compares. */
function transcriptUnits(text: string): string[] {
  return text.match(/[\u3400-\u9fff]|[^\s\u3400-\u9fff]+/g) ?? [];
}

/**
 * Whether every unit of `expected` occurs in `heard`, in order (other words may come between).
 * The self-test proves the speech path works end to end — model loaded, audio through the
 * recognizer processes, endpointing, a transcript the NLU check then turns into the right
 * intent; how accurately the model hears is the benchmark's job (docs/benchmarks.md), so one
 * inserted word does not fail an installation.
 */
export function containsInOrder(heard: string, expected: string): boolean {
  const want = transcriptUnits(expected);
  let i = 0;
  for (const unit of transcriptUnits(heard)) if (unit === want[i]) i++;
  return want.length > 0 && i === want.length;
}

async function check<T>(results: CheckResult[], name: string, run: () => Promise<{ value: T; detail: string }> | { value: T; detail: string }): Promise<T | undefined> {
  const started = performance.now();
  try {
    const { value, detail } = await run();
    results.push({ name, ok: true, detail, ms: Math.round(performance.now() - started) });
    return value;
  } catch (err) {
    results.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started) });
    return undefined;
  }
}

export async function runSelftest(config: Config, language: Language): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const probe = PROBES[language];
  const dataDir = resolve(config.dataDir);
  const modelsDir = resolve(config.modelsDir);

  const db = await check<Db>(results, 'database', () => {
    const db = openDatabase({ path: join(dataDir, 'switchboard.db') });
    const quick = db.pragma('quick_check', { simple: true });
    if (quick !== 'ok') throw new Error(`quick_check: ${String(quick)}`);
    // Write and read back inside a transaction that is rolled back: nothing is left behind.
    const id = newId('selftest');
    db.exec('BEGIN');
    try {
      db.prepare(`INSERT INTO customers (id, name, created_at, updated_at) VALUES (?, 'selftest', 'now', 'now')`).run(id);
      if (!db.prepare('SELECT 1 FROM customers WHERE id = ?').get(id)) throw new Error('a row written could not be read back');
    } finally {
      db.exec('ROLLBACK');
    }
    return { value: db, detail: `${join(dataDir, 'switchboard.db')}: integrity ok, write+read ok, schema ${String(db.pragma('user_version', { simple: true }))}` };
  });

  const kb = db ? new KnowledgeBase(db) : undefined;
  await check(results, 'knowledge', () => {
    if (!kb) throw new Error('no database');
    const count = kb.count();
    if (count === 0) throw new Error('the knowledge base is empty: import articles (switchboard kb import) or start once with knowledge.seedDemo');
    return { value: count, detail: `${count} articles` };
  });

  const audio = await check(results, 'speech synthesis', async () => {
    const tts = new EspeakTts(config.speech.tts, silentLogger);
    const pcm = await tts.synthesize(probe.words, language, 8000);
    if (pcm.length < 1600) throw new Error('espeak-ng produced no audio');
    return { value: pcm, detail: `"${probe.words}" → ${(pcm.length / 8000).toFixed(2)} s of 8 kHz audio (espeak-ng)` };
  });

  const transcript = await check(results, 'speech recognition', async () => {
    if (!audio) throw new Error('no audio to recognize');
    const catalog = new ModelCatalog({ modelsDir: resolve(config.speech.modelsDir ?? modelsDir), models: config.speech.models, defaultLanguage: config.speech.defaultLanguage });
    const model = catalog.resolve({ language });
    const pool = new RecognizerPool({ processes: 1, maxStreams: 1, requestTimeoutMs: 15_000, restartInitialBackoffMs: 200, restartMaxBackoffMs: 1000, maxPendingFramesPerStream: 400, endpointing: config.speech.endpointing, preloadModels: [model.path], logger: silentLogger });
    await pool.start();
    try {
      const stream = await new SpeechRecognition(pool, catalog, config.speech.sampleRates).open({ language, sampleRate: 8000, encoding: 'pcm16', words: false, maxAlternatives: 0 });
      const silence = new Int16Array(4000);
      const all = new Int16Array(silence.length * 2 + audio.length);
      all.set(silence, 0);
      all.set(audio, silence.length);
      const bytes = new Uint8Array(all.buffer);
      const texts: string[] = [];
      for (let i = 0; i < bytes.length; i += 3200) {
        const r = await stream.accept(bytes.subarray(i, i + 3200));
        if (r.type === 'final' && r.alternatives[0]?.text) texts.push(r.alternatives[0].text);
      }
      const last = await stream.flush();
      if (last.alternatives[0]?.text) texts.push(last.alternatives[0].text);
      stream.close();
      const heard = transcriptText(texts.join(' '));
      const expected = transcriptText(probe.words);
      if (!containsInOrder(heard, expected)) throw new Error(`model ${model.name} heard "${heard}" instead of "${expected}"`);
      return { value: heard, detail: `model ${model.name} heard "${heard}"` };
    } finally {
      await pool.close();
    }
  });

  const nlu = new NluService({ modelPath: join(dataDir, 'nlu-model.json') });
  const understanding = await check(results, 'understanding', async () => {
    if (!kb) throw new Error('no database');
    const text = transcript ?? probe.words;
    const articles = kb.list({ status: 'published', limit: 500 }).items;
    await nlu.start({ intents: [...loadIntentFiles(join(modelsDir, 'nlu', 'intents')), ...intentsFromArticles(articles)] });
    const u = nlu.understand(text, { languageHint: language });
    if (u.intent !== probe.intent) throw new Error(`"${text}" was understood as ${u.intent ?? 'out of scope'} (${u.confidence.toFixed(2)}), expected ${probe.intent}`);
    return { value: u, detail: `"${text}" → ${u.intent} (${u.confidence.toFixed(2)}), model ${nlu.status().version}` };
  });
  await nlu.close();

  await check(results, 'answer', () => {
    if (!kb || !understanding) throw new Error('nothing understood to answer');
    const deps = {
      flows: loadFlows(join(modelsDir, 'flows')),
      knowledge: { byTopic: (topic: string, lang: Language) => kb.findByTopic(topic, lang), search: (q: string, lang: Language, limit: number) => kb.search(q, { language: lang, limit }) },
      now: () => new Date(),
    };
    const started = startConversation({ conversationId: 'selftest', language }, deps);
    const turn = handleTurn(started.state, understanding, deps);
    const cited = turn.replies.flatMap((r) => r.citations);
    if (!cited.includes(probe.article)) throw new Error(`the answer cites ${cited.join(', ') || 'nothing'}, expected ${probe.article}`);
    return { value: turn, detail: `answered citing ${probe.article}: "${turn.replies[0]?.text.slice(0, 60)}…"` };
  });

  db?.close();
  return results;
}

export const selftestCommand: Command = {
  name: 'selftest',
  summary: 'Prove mic-to-answer works offline: synthesize, recognize, understand, answer, store',
  usage: 'switchboard selftest [--language en|zh] [--config PROFILE.yaml] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, language: { type: 'string' }, json: { type: 'boolean' } } });
    const language = (values.language ?? 'en') as Language;
    if (language !== 'en' && language !== 'zh') throw new AppError('VALIDATION_FAILED', '--language must be en or zh');
    const config = loadConfig({ profilePath: values.config, env: io.env });
    const results = await runSelftest(config, language);
    const ok = results.every((r) => r.ok);
    if (values.json) io.out(JSON.stringify({ ok, language, checks: results }, null, 2));
    else {
      for (const r of results) io.out(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(19)} ${r.detail} (${r.ms} ms)`);
      io.out(ok ? 'selftest passed: the appliance hears, understands, answers and stores.' : 'selftest FAILED: see the lines marked FAIL.');
    }
    return ok ? 0 : 1;
  },
};
