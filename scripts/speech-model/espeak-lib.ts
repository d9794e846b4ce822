// eSpeak NG as a library (Debian's libespeak-ng.so.1, the library behind the espeak-ng command,
// installed with it), through koffi. The command line gives audio only; the library also reports
// where in that audio each word starts (its WORD events). The builder needs those times for
// connected training strings: said without a pause, "yi1 yi1" is one long vowel with a short dip
// between the two syllables, and a forced alignment that has to guess where the second word starts
// (it guessed wrong, putting both words' boundaries at the end) teaches the net to merge repeats.
//
// Build-time only (scripts/), never loaded by the appliance. One synthesis at a time per process
// (the library is a global state machine), synchronous like the execFileSync it stands beside.

import koffi from 'koffi';
import type { VoiceConfig } from './synth.ts';

/** libespeak-ng's espeak_EVENT (speak_lib.h). */
const EspeakEvent = koffi.struct('espeak_EVENT', {
  type: 'int',
  unique_identifier: 'uint',
  text_position: 'int',
  length: 'int',
  audio_position: 'int',
  sample: 'int',
  user_data: 'void *',
  id: koffi.union('espeak_EVENT_id', { number: 'int', name: 'const char *', string: koffi.array('char', 8) }),
});
const SynthCallback = koffi.proto('int espeak_synth_callback(short *wav, int numsamples, espeak_EVENT *events)');

// speak_lib.h constants
const AUDIO_OUTPUT_SYNCHRONOUS = 2;
const EVENT_LIST_TERMINATED = 0;
const EVENT_WORD = 1;
const PARAM_RATE = 1;
const PARAM_PITCH = 3;
const PARAM_WORDGAP = 7;
// the espeak-ng command's flags with -m: espeakCHARS_AUTO | espeakPHONEMES | espeakENDPAUSE | espeakSSML
const SYNTH_FLAGS = 0x100 | 0x1000 | 0x10;

export interface SpokenWord {
  /** 1-based character position of the word in the text handed to eSpeak. */
  textPosition: number;
  /** First sample of the word in the output (at `rate`). */
  sample: number;
}

export interface TimedSpeech {
  rate: number;
  samples: Int16Array;
  words: SpokenWord[];
}

interface Library {
  initialize: (output: number, bufLength: number, path: string | null, options: number) => number;
  setSynthCallback: (cb: unknown) => void;
  setVoiceByName: (name: string) => number;
  setParameter: (parameter: number, value: number, relative: number) => number;
  synth: (text: string, size: number, position: number, positionType: number, endPosition: number, flags: number, uid: null, userData: null) => number;
}

let lib: Library | undefined;
/** The data directory the library was last initialized with (null = the system one). */
let initializedPath: string | null | undefined;
let rate = 0;
// filled by the callback during one synth() call
let chunks: Int16Array[] = [];
let words: SpokenWord[] = [];

function library(): Library {
  if (lib) return lib;
  const so = koffi.load(process.env.LIBESPEAK_NG ?? 'libespeak-ng.so.1');
  lib = {
    initialize: so.func('int espeak_Initialize(int output, int buflength, const char *path, int options)'),
    setSynthCallback: so.func('void espeak_SetSynthCallback(espeak_synth_callback *cb)'),
    setVoiceByName: so.func('int espeak_SetVoiceByName(const char *name)'),
    setParameter: so.func('int espeak_SetParameter(int parameter, int value, int relative)'),
    synth: so.func('int espeak_Synth(const char *text, size_t size, unsigned int position, int position_type, unsigned int end_position, unsigned int flags, void *unique_identifier, void *user_data)'),
  } as Library;
  return lib;
}

const eventSize = koffi.sizeof(EspeakEvent);
// registered once and kept for the life of the process (the library holds on to it)
let callback: unknown;

function onAudio(wav: unknown, numSamples: number, events: unknown): number {
  if (numSamples > 0 && wav) chunks.push(Int16Array.from(koffi.decode(wav, 'short', numSamples) as number[]));
  for (let i = 0; ; i++) {
    const e = koffi.decode(events, i * eventSize, EspeakEvent) as { type: number; text_position: number; length: number; sample: number };
    if (e.type === EVENT_LIST_TERMINATED) break;
    // SSML tags (<break/>) come as zero-length words
    if (e.type === EVENT_WORD && e.length > 0) words.push({ textPosition: e.text_position, sample: e.sample });
  }
  return 0;
}

/**
 * Synthesizes SSML as `espeak-ng -m` would (same voice, variant, speed, pitch, word gap and data
 * path) and returns the audio with the start sample of every word. The audio is not always
 * sample-identical to the command's: the library keeps some state (e.g. its noise generator)
 * from one call to the next, where each command run starts afresh.
 */
export function espeakTimed(c: VoiceConfig, ssml: string): TimedSpeech {
  const l = library();
  const path = c.dataPath ?? null;
  if (initializedPath !== path) {
    rate = l.initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, path, 0);
    if (rate <= 0) throw new Error(`libespeak-ng could not initialize${path ? ` with data at ${path}` : ''}`);
    callback ??= koffi.register(onAudio, koffi.pointer(SynthCallback));
    l.setSynthCallback(callback);
    initializedPath = path;
  }
  const voice = `${c.voice}+${c.variant}`;
  if (l.setVoiceByName(voice) !== 0) throw new Error(`libespeak-ng has no voice ${voice}`);
  l.setParameter(PARAM_RATE, c.speed, 0);
  l.setParameter(PARAM_PITCH, c.pitch, 0);
  l.setParameter(PARAM_WORDGAP, c.wordGap, 0);
  chunks = [];
  words = [];
  const size = Buffer.byteLength(ssml) + 1;
  const err = l.synth(ssml, size, 0, 0, 0, SYNTH_FLAGS, null, null);
  if (err !== 0) throw new Error(`libespeak-ng failed to synthesize (error ${err})`);
  const samples = new Int16Array(chunks.reduce((n, ch) => n + ch.length, 0));
  let o = 0;
  for (const ch of chunks) {
    samples.set(ch, o);
    o += ch.length;
  }
  const out = { rate, samples, words };
  chunks = [];
  words = [];
  return out;
}
