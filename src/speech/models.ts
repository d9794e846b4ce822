// Which Vosk models exist and what they need: resolves a client's model name or language to a
// directory inside modelsDir (never a path the client wrote), and reads the model's sample rate
// and frame subsampling from its conf files so streams can be checked before a recognizer exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SpeechError } from './errors.ts';
import type { SpeechLanguage } from './config.ts';

export interface SpeechModelInfo {
  name: string;
  path: string;
  /** --sample-frequency of conf/mfcc.conf (Kaldi's default is 16000). */
  sampleRate: number;
  /** --frame-subsampling-factor of conf/model.conf; libvosk 0.3.39 reports word times as if it were 3. */
  frameSubsamplingFactor: number;
  /** True when the model has HCLr.fst + Gr.fst, so per-stream grammars (phrase lists) work. */
  supportsGrammar: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function readOption(file: string, option: string): string | undefined {
  if (!existsSync(file)) return undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*--([A-Za-z0-9._-]+)=(\S+)/.exec(line);
    if (m && m[1] === option) return m[2];
  }
  return undefined;
}

/** Reads a model directory's facts; undefined when it is not a Vosk model. */
export function inspectModel(name: string, path: string): SpeechModelInfo | undefined {
  if (!existsSync(join(path, 'am', 'final.mdl'))) return undefined;
  const rate = Number(readOption(join(path, 'conf', 'mfcc.conf'), 'sample-frequency') ?? 16000);
  const fsf = Number(readOption(join(path, 'conf', 'model.conf'), 'frame-subsampling-factor') ?? 1);
  return {
    name,
    path,
    sampleRate: Number.isFinite(rate) && rate > 0 ? rate : 16000,
    frameSubsamplingFactor: Number.isFinite(fsf) && fsf > 0 ? fsf : 1,
    supportsGrammar: existsSync(join(path, 'graph', 'HCLr.fst')) && existsSync(join(path, 'graph', 'Gr.fst')),
  };
}

export class ModelCatalog {
  private readonly dir: string;
  private readonly byLanguage: Record<SpeechLanguage, string>;
  private readonly defaultLanguage: SpeechLanguage;

  constructor(options: { modelsDir: string; models: Record<SpeechLanguage, string>; defaultLanguage: SpeechLanguage }) {
    this.dir = resolve(options.modelsDir);
    this.byLanguage = options.models;
    this.defaultLanguage = options.defaultLanguage;
  }

  /** Models present on disk right now (re-read on each call: models can be installed while running). */
  list(): SpeechModelInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && NAME.test(d.name))
      .map((d) => inspectModel(d.name, join(this.dir, d.name)))
      .filter((m): m is SpeechModelInfo => m !== undefined);
  }

  /** The model for a stream: by explicit name, else by language, else the default language's. */
  resolve(request: { model?: string; language?: SpeechLanguage }): SpeechModelInfo {
    const name = request.model ?? this.byLanguage[request.language ?? this.defaultLanguage];
    if (!NAME.test(name)) throw new SpeechError('SPEECH_MODEL_NOT_FOUND', `"${name}" is not a model name`);
    const info = inspectModel(name, join(this.dir, name));
    if (!info) throw new SpeechError('SPEECH_MODEL_NOT_FOUND', `speech model "${name}" is not installed`, { available: this.list().map((m) => m.name) });
    return info;
  }

  languageOf(modelName: string): SpeechLanguage | undefined {
    return (Object.keys(this.byLanguage) as SpeechLanguage[]).find((l) => this.byLanguage[l] === modelName);
  }
}
