// TF-IDF over a fixed vocabulary learnt from the training utterances. Unknown terms at
// inference are ignored; each term block is L2-normalized separately.
import type { SparseVector } from './sparse.ts';

export interface VectorizerOptions {
  /** Drop terms seen in fewer training utterances than this (shrinks the model). */
  minDf: number;
  /** tf → 1 + ln(tf): repeated words should not dominate. */
  sublinearTf: boolean;
}

export interface Vectorizer {
  terms: string[];
  index: Map<string, number>;
  idf: Float64Array;
  sublinearTf: boolean;
}

export function fitVectorizer(documents: readonly string[][], options: VectorizerOptions): Vectorizer {
  const df = new Map<string, number>();
  for (const doc of documents) {
    for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const terms = [...df.entries()].filter(([, count]) => count >= options.minDf).map(([term]) => term);
  const n = documents.length;
  // Smoothed idf as in scikit-learn: ln((1 + n) / (1 + df)) + 1, never zero.
  const idf = Float64Array.from(terms, (term) => Math.log((1 + n) / (1 + df.get(term)!)) + 1);
  return buildVectorizer(terms, idf, options.sublinearTf);
}

export function buildVectorizer(terms: string[], idf: Float64Array, sublinearTf: boolean): Vectorizer {
  return { terms, index: new Map(terms.map((term, i) => [term, i])), idf, sublinearTf };
}

export function vectorize(vectorizer: Vectorizer, terms: readonly string[]): SparseVector {
  const counts = new Map<number, number>();
  for (const term of terms) {
    const i = vectorizer.index.get(term);
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const indices = Int32Array.from(counts.keys()).sort();
  const values = new Float64Array(indices.length);
  const blockNorms = new Map<string, number>();
  indices.forEach((f, j) => {
    const tf = counts.get(f)!;
    const v = (vectorizer.sublinearTf ? 1 + Math.log(tf) : tf) * vectorizer.idf[f]!;
    values[j] = v;
    const block = blockOf(vectorizer.terms[f]!);
    blockNorms.set(block, (blockNorms.get(block) ?? 0) + v * v);
  });
  indices.forEach((f, j) => {
    values[j]! /= Math.sqrt(blockNorms.get(blockOf(vectorizer.terms[f]!))!);
  });
  return { indices, values };
}

function blockOf(term: string): string {
  return term.slice(0, 1);
}
