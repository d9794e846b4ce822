// The kiosk microphone: one mono capture at the audio context's rate, delivered in ~20 ms
// chunks from an AudioWorklet (or a ScriptProcessor where worklets are missing). Closing it
// stops the tracks, so the browser's "mic in use" indicator goes out at once.

export type MicrophoneErrorCode = 'MIC_DENIED' | 'MIC_NOT_FOUND' | 'MIC_UNAVAILABLE';

export class MicrophoneError extends Error {
  constructor(
    readonly code: MicrophoneErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MicrophoneError';
  }
}

export interface Microphone {
  /** Samples per second of the chunks handed to `onAudio`. */
  readonly sampleRate: number;
  close(): void;
}

/** Worklet render quanta are 128 frames; batching 8 of them (≈21 ms at 48 kHz) keeps messages few. */
const BATCH_FRAMES = 1024;

const WORKLET_SOURCE = `
class SwitchboardCapture extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Float32Array(${BATCH_FRAMES}); this.n = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    for (let i = 0; i < ch.length; i++) {
      this.buf[this.n++] = ch[i];
      if (this.n === this.buf.length) {
        this.port.postMessage(this.buf, [this.buf.buffer]);
        this.buf = new Float32Array(${BATCH_FRAMES});
        this.n = 0;
      }
    }
    return true;
  }
}
registerProcessor('switchboard-capture', SwitchboardCapture);
`;

/** Whether this page can ask for a microphone at all (needs a secure context: https or localhost). */
export function microphoneSupported(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function' && typeof AudioContext === 'function';
}

function microphoneError(err: unknown): MicrophoneError {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'NotAllowedError' || name === 'SecurityError') return new MicrophoneError('MIC_DENIED', message);
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return new MicrophoneError('MIC_NOT_FOUND', message);
  return new MicrophoneError('MIC_UNAVAILABLE', message);
}

/**
 * Opens the microphone. `context` must be created in the press handler itself (a user gesture),
 * or the browser may keep it suspended; it is closed together with the microphone.
 */
export async function openMicrophone(context: AudioContext, onAudio: (samples: Float32Array) => void): Promise<Microphone> {
  let stream: MediaStream | null = null;
  const release = () => {
    for (const track of stream?.getTracks() ?? []) track.stop();
    if (context.state !== 'closed') void context.close().catch(() => undefined);
  };
  try {
    if (!microphoneSupported()) throw new MicrophoneError('MIC_NOT_FOUND', 'this page cannot use a microphone (it needs https or localhost)');
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
    if (context.state === 'suspended') await context.resume();
    const source = context.createMediaStreamSource(stream);
    let stopNode: () => void;
    if (context.audioWorklet) {
      const url = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'text/javascript' }));
      try {
        await context.audioWorklet.addModule(url);
      } finally {
        URL.revokeObjectURL(url);
      }
      const node = new AudioWorkletNode(context, 'switchboard-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
      node.port.onmessage = (e: MessageEvent<unknown>) => {
        if (e.data instanceof Float32Array) onAudio(e.data);
      };
      // Connected to the output so the graph pulls it; the processor never writes, so it stays silent.
      source.connect(node).connect(context.destination);
      stopNode = () => {
        node.port.onmessage = null;
        node.disconnect();
      };
    } else {
      const node = context.createScriptProcessor(4096, 1, 1);
      node.onaudioprocess = (e) => {
        onAudio(new Float32Array(e.inputBuffer.getChannelData(0)));
        e.outputBuffer.getChannelData(0).fill(0);
      };
      source.connect(node).connect(context.destination);
      stopNode = () => {
        node.onaudioprocess = null;
        node.disconnect();
      };
    }
    let closed = false;
    return {
      sampleRate: context.sampleRate,
      close() {
        if (closed) return;
        closed = true;
        stopNode();
        source.disconnect();
        release();
      },
    };
  } catch (err) {
    release();
    throw err instanceof MicrophoneError ? err : microphoneError(err);
  }
}
