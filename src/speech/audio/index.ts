// Pure audio helpers for the speech stack: WAV, G.711, resampling and Kaldi-compatible MFCC.
export { readWav, writeWav, WavFormatError, type PcmAudio } from './wav.ts';
export { encodeG711, decodeG711, linearToMulaw, mulawToLinear, linearToAlaw, alawToLinear, type G711Law } from './g711.ts';
export { resample, toInt16, toFloat32 } from './resample.ts';
export { computeMfcc, numMfccFrames, mfccConfText, TELEPHONY_MFCC, type MfccOptions } from './mfcc.ts';
