// Installing a Vosk model the way an installer would: from a directory, a .tar.gz or a .zip,
// checked for the standard layout and loaded by libvosk before it replaces anything.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/index.ts';

const demo = join(import.meta.dirname, '..', '..', 'models', 'demo-en-8k');

function setup() {
  const work = mkdtempSync(join(tmpdir(), 'sb-model-'));
  const modelsDir = join(work, 'models');
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { SWITCHBOARD_MODELS_DIR: modelsDir, SWITCHBOARD_DATA_DIR: join(work, 'data') } };
  return { work, modelsDir, out, err, io };
}

/** A copy of the demo model wrapped in a top folder, as downloaded archives are. */
function wrapped(work: string, folder: string): string {
  const root = join(work, 'src');
  cpSync(demo, join(root, folder), { recursive: true });
  return root;
}

describe('switchboard model install', () => {
  it('installs from a directory and reports what libvosk found', async () => {
    const s = setup();
    expect(await runCommand('model', ['install', demo, '--name', 'my-en', '--json'], s.io)).toBe(0);
    const result = JSON.parse(s.out.join('\n')) as { name: string; sampleRate: number; supportsGrammar: boolean };
    expect(result).toMatchObject({ name: 'my-en', sampleRate: 8000, supportsGrammar: true });
    expect(existsSync(join(s.modelsDir, 'my-en', 'am', 'final.mdl'))).toBe(true);
  }, 60_000);

  it('installs from a .tar.gz with progress, and keeps the previous model on --force', async () => {
    const s = setup();
    const root = wrapped(s.work, 'vosk-model-demo-en-8k');
    const archive = join(s.work, 'vosk-model-demo-en-8k.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: root }, ['vosk-model-demo-en-8k']);
    expect(await runCommand('model', ['install', archive], s.io)).toBe(0);
    expect(s.err.join('\n')).toMatch(/unpacking: 100%/);
    expect(existsSync(join(s.modelsDir, 'vosk-model-demo-en-8k', 'conf', 'mfcc.conf'))).toBe(true);
    // Installing again needs --force and keeps the old copy.
    expect(await runCommand('model', ['install', archive], s.io)).toBe(2);
    expect(s.err.join('\n')).toMatch(/already installed; add --force/);
    expect(await runCommand('model', ['install', archive, '--force'], s.io)).toBe(0);
    expect(existsSync(join(s.modelsDir, 'vosk-model-demo-en-8k.previous', 'am', 'final.mdl'))).toBe(true);
  }, 90_000);

  it('installs from a .zip', async () => {
    const s = setup();
    const root = wrapped(s.work, 'demo-zip');
    const archive = join(s.work, 'demo-zip.zip');
    execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2], "demo-zip")', archive.replace(/\.zip$/, ''), root]);
    expect(await runCommand('model', ['install', archive], s.io)).toBe(0);
    expect(existsSync(join(s.modelsDir, 'demo-zip', 'graph', 'Gr.fst'))).toBe(true);
  }, 60_000);

  it('refuses an incomplete model, naming what is missing, and installs nothing', async () => {
    const s = setup();
    const root = wrapped(s.work, 'broken');
    rmSync(join(root, 'broken', 'graph'), { recursive: true });
    expect(await runCommand('model', ['install', join(root, 'broken')], s.io)).toBe(2);
    expect(s.err.join('\n')).toMatch(/graph\/ needs HCLG.fst, or HCLr.fst with Gr.fst/);
    expect(existsSync(join(s.modelsDir, 'broken'))).toBe(false);
  });

  it('refuses a model libvosk cannot load, and installs nothing', async () => {
    const s = setup();
    const root = wrapped(s.work, 'garbage');
    writeFileSync(join(root, 'garbage', 'am', 'final.mdl'), `<TransitionModel> nonsense ${readFileSync(join(root, 'garbage', 'conf', 'model.conf'), 'utf8').length}`);
    expect(await runCommand('model', ['install', join(root, 'garbage')], s.io)).toBe(2);
    expect(s.err.join('\n')).toMatch(/libvosk could not load the model/);
    expect(existsSync(join(s.modelsDir, 'garbage'))).toBe(false);
  }, 90_000);

  it('refuses something that is not a model archive', async () => {
    const s = setup();
    const file = join(s.work, 'notes.txt');
    writeFileSync(file, 'hello');
    expect(await runCommand('model', ['install', file], s.io)).toBe(2);
    expect(s.err.join('\n')).toMatch(/directory, a .zip or a .tar.gz/);
  });
});
