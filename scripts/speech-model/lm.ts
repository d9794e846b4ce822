// The language model of free recognition (graph/Gr.fst and graph-static/HCLG.fst): a class
// bigram over two word classes, digits and every other word, estimated from the builder's own
// training transcripts. A flat word loop treats "hours" after "four two" as likely as "oh"; in
// these transcripts (and on a bank's phone line) digits come in strings and commands alone, so
// after a digit another digit is ~20x likelier than a given command word. Per-call grammars
// (vosk_recognizer_new_grm) do not use it: libvosk builds their G from the phrase list.

export interface ClassBigram {
  /** Class names, e.g. ['digit', 'word']. */
  classes: string[];
  /** Vocabulary words per class. */
  classSize: number[];
  /**
   * P(next | history), rows = histories (0 = utterance start, 1 + k = after a word of class k),
   * columns = the classes, then the end of the utterance. Row 0's end column is 0 (the
   * transcripts have no empty utterances; the graph lets silence alone end for free anyway).
   */
  probabilities: number[][];
}

/**
 * Add-one-smoothed class transition probabilities from word transcripts. `classOf` maps a
 * vocabulary token to its class index; every token of every transcript must have one.
 */
export function estimateClassBigram(transcripts: readonly (readonly string[])[], classes: string[], vocabulary: readonly string[], classOf: (token: string) => number): ClassBigram {
  const K = classes.length;
  const classSize = classes.map((_, k) => vocabulary.filter((t) => classOf(t) === k).length);
  if (classSize.some((n) => n === 0)) throw new Error(`every word class needs a word: ${classes.join(', ')} have ${classSize.join(', ')}`);
  const counts: number[][] = Array.from({ length: K + 1 }, (_, h) => Array.from({ length: K + 1 }, (_, c) => (h === 0 && c === K ? 0 : 1)));
  for (const words of transcripts) {
    let h = 0;
    for (const w of words) {
      const c = classOf(w);
      if (!(c >= 0 && c < K)) throw new Error(`${w} has no word class`);
      (counts[h] as number[])[c] = ((counts[h] as number[])[c] as number) + 1;
      h = 1 + c;
    }
    if (h > 0) (counts[h] as number[])[K] = ((counts[h] as number[])[K] as number) + 1;
  }
  const probabilities = counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((n) => n / total);
  });
  return { classes, classSize, probabilities };
}

/** Graph costs of a class bigram for a word list: what the word-loop graphs need. */
export interface LoopLm {
  /** Number of LM histories (graph loop states): the start, then one per class. */
  histories: number;
  /** entry[h][i]: cost of word i after history h, shifted so the cheapest word arc costs 0. */
  entry: number[][];
  /** History after word i. */
  exit: number[];
  /** Final cost of each history (0 for the start: silence alone is an empty result). */
  final: number[];
}

/**
 * Costs (−log P) of a class bigram for `tokens` (in graph word order). Word arcs are shifted by
 * one constant so the likeliest continuation costs 0: the word insertion penalty the dev set
 * tunes keeps its meaning (an unshifted bigram charges ~2.8 per digit, which deletes words).
 */
export function loopLm(lm: ClassBigram, tokens: readonly string[], classOf: (token: string) => number, scale = 1): LoopLm {
  const K = lm.classes.length;
  const raw = lm.probabilities.map((row) => tokens.map((t) => {
    const c = classOf(t);
    return -Math.log((row[c] as number) / (lm.classSize[c] as number));
  }));
  const shift = Math.min(...raw.flat());
  return {
    histories: K + 1,
    entry: raw.map((row) => row.map((x) => (x - shift) * scale)),
    exit: tokens.map((t) => 1 + classOf(t)),
    final: lm.probabilities.map((row, h) => (h === 0 ? 0 : -Math.log(row[K] as number) * scale)),
  };
}
