// Binary framing between the appliance and its recognizer processes, over a dedicated pipe:
// [u32 BE payload length][u8 kind][u32 BE stream id][payload]. Audio travels as raw bytes
// (one copy, no JSON/base64 per sample); only small control messages carry JSON payloads.

export const FRAME_HEADER_BYTES = 9;
/** Far above any legitimate frame (the WebSocket limit is 16 MiB at most); guards a corrupt pipe. */
export const MAX_IPC_PAYLOAD = 32 * 1024 * 1024;

export interface IpcFrame {
  kind: number;
  streamId: number;
  payload: Buffer;
}

export function encodeFrame(kind: number, streamId: number, payload: Uint8Array = EMPTY): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.byteLength);
  out.writeUInt32BE(payload.byteLength, 0);
  out.writeUInt8(kind, 4);
  out.writeUInt32BE(streamId >>> 0, 5);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

const EMPTY = new Uint8Array(0);

export class IpcFramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcFramingError';
  }
}

/** Reassembles frames from arbitrary chunks of the byte stream (a pipe read can split anywhere). */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Appends a chunk and returns every frame it completes. */
  push(chunk: Buffer): IpcFrame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    const frames: IpcFrame[] = [];
    while (this.buffered >= FRAME_HEADER_BYTES) {
      const head = this.peek(FRAME_HEADER_BYTES);
      const length = head.readUInt32BE(0);
      if (length > MAX_IPC_PAYLOAD) throw new IpcFramingError(`IPC frame of ${length} bytes exceeds ${MAX_IPC_PAYLOAD}`);
      if (this.buffered < FRAME_HEADER_BYTES + length) break;
      const whole = this.take(FRAME_HEADER_BYTES + length);
      frames.push({ kind: whole.readUInt8(4), streamId: whole.readUInt32BE(5), payload: whole.subarray(FRAME_HEADER_BYTES) });
    }
    return frames;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.byteLength >= n) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }

  private take(n: number): Buffer {
    const joined = this.peek(n);
    const frame = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks[0] = rest;
    if (rest.byteLength === 0) this.chunks.shift();
    this.buffered -= n;
    return frame;
  }
}
