// Type declarations for the parts of the untyped @nlpjs packages Switchboard uses.
// Kept to the members we call so a library upgrade that changes them fails type-checking here.

declare module '@nlpjs/lang-en-min' {
  export class NormalizerEn {
    normalize(text: string): string;
  }
  export class TokenizerEn {
    tokenize(text: string, normalize?: boolean): string[];
  }
  export class StemmerEn {
    stem(tokens: string[]): string[];
  }
}
