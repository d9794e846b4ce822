// `switchboard model install PATH|ARCHIVE`: puts a Vosk model (a directory, .zip or .tar.gz,
// e.g. a downloaded vosk-model-small-cn) into modelsDir/NAME — checked for the standard
// layout and proven loadable by libvosk in a recognizer process before it replaces anything.
import { createReadStream, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { loadConfig, type Config } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import { silentLogger } from '../ops/index.ts';
import { ModelCatalog, RecognizerPool, SpeechRecognition, inspectModel } from '../speech/index.ts';
import type { Command, CommandIO } from './commands.ts';

/** What a directory must hold to be a Vosk model libvosk can load (v2 layout). */
export function modelLayoutProblems(dir: string): string[] {
  const has = (p: string) => existsSync(join(dir, p));
  const problems: string[] = [];
  if (!has('am/final.mdl')) problems.push('am/final.mdl is missing (the acoustic model)');
  if (!has('conf/mfcc.conf')) problems.push('conf/mfcc.conf is missing (feature settings)');
  if (!has('conf/model.conf')) problems.push('conf/model.conf is missing (decoder settings)');
  const staticGraph = has('graph/HCLG.fst');
  const dynamicGraph = has('graph/HCLr.fst') && has('graph/Gr.fst');
  if (!staticGraph && !dynamicGraph) problems.push('graph/ needs HCLG.fst, or HCLr.fst with Gr.fst');
  if (staticGraph && !has('graph/words.txt')) problems.push('graph/words.txt is missing (needed with HCLG.fst)');
  return problems;
}

/** The directory inside an unpacked archive that holds am/final.mdl (archives wrap it in a folder). */
export function findModelRoot(dir: string, depth = 3): string | null {
  if (existsSync(join(dir, 'am', 'final.mdl'))) return dir;
  if (depth === 0) return null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const found = findModelRoot(join(dir, entry.name), depth - 1);
    if (found) return found;
  }
  return null;
}

/** A progress line: a bar on a terminal, a line every 10% elsewhere. */
export function progressReporter(io: CommandIO, label: string, total: number, tty: boolean): (done: number) => void {
  let lastTenth = -1;
  return (done) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB${fraction >= 1 ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      io.err(`${label}: ${tenth * 10}% (${(done / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB)`);
    }
  };
}

function counting(onBytes: (n: number) => void): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      onBytes(n);
      cb(null, chunk);
    },
  });
}

async function extractTarGz(archive: string, into: string, progress: (n: number) => void): Promise<void> {
  await pipeline(createReadStream(archive), counting(progress), tar.x({ cwd: into, strict: true, preservePaths: false }));
}

async function extractZip(archive: string, into: string, progress: (n: number) => void): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) => yauzl.open(archive, { lazyEntries: true, strictFileNames: true }, (err, z) => (err ? fail(err) : ok(z))));
  let done = 0;
  await new Promise<void>((ok, fail) => {
    zip.on('error', fail);
    zip.on('end', () => ok());
    zip.on('entry', (entry: yauzl.Entry) => {
      const target = resolve(into, entry.fileName);
      // yauzl refuses absolute and ../ names with strictFileNames; this keeps it so.
      if (!target.startsWith(resolve(into))) return fail(new AppError('VALIDATION_FAILED', `archive entry escapes the target: ${entry.fileName}`));
      if (entry.fileName.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        zip.readEntry();
        return;
      }
      mkdirSync(dirname(target), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(err);
        pipeline(stream, counting((n) => progress(done + n)), createWriteStream(target)).then(() => {
          done += entry.compressedSize;
          zip.readEntry();
        }, fail);
      });
    });
    zip.readEntry();
  });
}

/** Loads the model in a recognizer process and decodes a second of silence: libvosk's own verdict. */
async function proveLoadable(config: Config, modelsDir: string, name: string): Promise<{ sampleRate: number; supportsGrammar: boolean }> {
  const info = inspectModel(name, join(modelsDir, name));
  if (!info) throw new AppError('VALIDATION_FAILED', 'not a Vosk model (am/final.mdl missing)');
  const catalog = new ModelCatalog({ modelsDir, models: config.speech.models, defaultLanguage: config.speech.defaultLanguage });
  const pool = new RecognizerPool({ processes: 1, maxStreams: 1, requestTimeoutMs: 60_000, restartInitialBackoffMs: 200, restartMaxBackoffMs: 1000, maxPendingFramesPerStream: 50, endpointing: { trailingSilenceMs: 800, maxUtteranceMs: 15_000 }, preloadModels: [], logger: silentLogger });
  await pool.start();
  try {
    const stream = await new SpeechRecognition(pool, catalog, [info.sampleRate]).open({ model: name, sampleRate: info.sampleRate, encoding: 'pcm16', words: false, maxAlternatives: 0 });
    await stream.accept(new Uint8Array(info.sampleRate * 2));
    await stream.flush();
    stream.close();
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `libvosk could not load the model: ${(err as Error).message}`);
  } finally {
    await pool.close();
  }
  return { sampleRate: info.sampleRate, supportsGrammar: info.supportsGrammar };
}

export async function installModel(
  config: Config,
  source: string,
  options: { name?: string; force?: boolean; io: CommandIO; tty?: boolean },
): Promise<{ name: string; path: string; sampleRate: number; supportsGrammar: boolean }> {
  const modelsDir = resolve(config.speech.modelsDir ?? config.modelsDir);
  const src = resolve(source);
  if (!existsSync(src)) throw new AppError('VALIDATION_FAILED', `no such file or directory: ${source}`);
  const isDir = statSync(src).isDirectory();
  const isZip = !isDir && /\.zip$/i.test(src);
  const isTar = !isDir && /\.(tar\.gz|tgz)$/i.test(src);
  if (!isDir && !isZip && !isTar) throw new AppError('VALIDATION_FAILED', 'give a model directory, a .zip or a .tar.gz');
  const name = options.name ?? basename(src).replace(/\.(zip|tar\.gz|tgz)$/i, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new AppError('VALIDATION_FAILED', `"${name}" is not a usable model name: use letters, digits, dot, dash, underscore (--name)`);
  const target = join(modelsDir, name);
  if (existsSync(target) && !options.force) throw new AppError('VALIDATION_FAILED', `model "${name}" is already installed; add --force to replace it (the old one is kept as ${name}.previous)`);

  mkdirSync(modelsDir, { recursive: true });
  const staging = join(modelsDir, `staging-${name}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const total = isDir ? 0 : statSync(src).size;
    const progress = progressReporter(options.io, isDir ? 'copying' : 'unpacking', total, options.tty ?? false);
    if (isDir) cpSync(src, join(staging, 'model'), { recursive: true });
    else if (isZip) await extractZip(src, staging, progress);
    else await extractTarGz(src, staging, progress);
    if (!isDir) progress(total);
    const root = findModelRoot(staging);
    if (!root) throw new AppError('VALIDATION_FAILED', `no am/final.mdl found in ${source}: is it a Vosk model?`);
    const problems = modelLayoutProblems(root);
    if (problems.length) throw new AppError('VALIDATION_FAILED', `${source} is not a complete Vosk model: ${problems.join('; ')}`, { problems });
    const checkName = `staging-check-${process.pid}`;
    renameSync(root, join(modelsDir, checkName));
    try {
      const facts = await proveLoadable(config, modelsDir, checkName);
      if (existsSync(target)) {
        rmSync(`${target}.previous`, { recursive: true, force: true });
        renameSync(target, `${target}.previous`);
      }
      renameSync(join(modelsDir, checkName), target);
      return { name, path: target, ...facts };
    } finally {
      rmSync(join(modelsDir, checkName), { recursive: true, force: true });
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export const modelCommand: Command = {
  name: 'model',
  summary: 'Install a Vosk speech model (directory, .zip or .tar.gz) into the models directory, verified by libvosk',
  usage: 'switchboard model install PATH|ARCHIVE [--name NAME] [--force] [--config PROFILE.yaml] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } } });
    const [action, source] = positionals;
    if (action !== 'install' || !source) throw new AppError('VALIDATION_FAILED', `usage: ${this.usage}`);
    const config = loadConfig({ profilePath: values.config, env: io.env });
    const result = await installModel(config, source, { name: values.name, force: values.force, io, tty: !values.json && process.stderr.isTTY === true });
    io.out(
      values.json
        ? JSON.stringify(result, null, 2)
        : `installed model "${result.name}" at ${result.path} (${result.sampleRate} Hz${result.supportsGrammar ? ', per-call grammars supported' : ''}); select it with speech.models.<language>: ${result.name}`,
    );
    return 0;
  },
};
