// Where benchmarks put their figures: raw JSON in bench/results/, and one marked section of
// docs/benchmarks.md each, replaced in place so sections written by other benchmarks stay.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function writeResults(name: string, results: unknown): string {
  const path = join(repoRoot, 'bench', 'results', `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

export function writeDocsSection(name: string, markdown: string): void {
  const path = join(repoRoot, 'docs', 'benchmarks.md');
  const section = `<!-- ${name}:start -->\n${markdown.trim()}\n<!-- ${name}:end -->`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\nFigures measured on the target class of machine; each section names the command that reproduces it.\n';
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`);
  writeFileSync(path, marked.test(current) ? current.replace(marked, section) : `${current.trimEnd()}\n\n${section}\n`);
}

export function machine(): { cpus: number; cpuModel: string; node: string } {
  const c = cpus();
  return { cpus: c.length, cpuModel: c[0]?.model.trim() ?? 'unknown', node: process.version };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
