// Entry point of a recognizer child process (forked by the pool; bundled as
// dist/speech-recognizer.mjs). libvosk is only ever loaded here: if it aborts, only this
// process dies and the pool restarts it. Frames arrive on fd 4; fd 3 is Node's IPC channel,
// used only to notice that the appliance is gone.
import { Socket } from 'node:net';
import { setVoskLogLevel } from './libvosk.ts';
import { FrameDecoder, encodeFrame } from './pool/ipc-frame.ts';
import { FromRecognizer, jsonPayload } from './pool/messages.ts';
import { RecognizerHost } from './pool/recognizer-host.ts';

export const RECOGNIZER_PIPE_FD = 4;

const pipe = new Socket({ fd: RECOGNIZER_PIPE_FD, readable: true, writable: true });
// Replies to the frames of one pipe read go out in one write: one syscall per batch, not per frame.
let outbox: Buffer[] | null = null;
const send = (kind: number, streamId: number, payload?: Uint8Array) => {
  const frame = encodeFrame(kind, streamId, payload);
  if (outbox) outbox.push(frame);
  else pipe.write(frame);
};

function main(): void {
  try {
    // -2 keeps Kaldi errors and assertion failures (the crash reason the pool logs) and drops
    // warnings, which some models print on every result.
    setVoskLogLevel(Number(process.env.SWITCHBOARD_VOSK_LOG_LEVEL ?? -2));
  } catch (err) {
    // No usable libvosk here (missing file, other platform): tell the pool why, then leave.
    const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'LIBVOSK_NOT_FOUND';
    pipe.end(encodeFrame(FromRecognizer.FATAL, 0, jsonPayload({ code, message: err instanceof Error ? err.message : String(err) })), () => process.exit(3));
    return;
  }

  const host = new RecognizerHost(send);
  const decoder = new FrameDecoder();
  pipe.on('data', (chunk: Buffer) => {
    outbox = [];
    try {
      for (const frame of decoder.push(chunk)) host.handle(frame);
    } finally {
      const replies = outbox;
      outbox = null;
      if (replies.length > 0) pipe.write(replies.length === 1 ? (replies[0] as Buffer) : Buffer.concat(replies));
    }
  });
  const quit = () => {
    host.closeAll();
    process.exit(0);
  };
  pipe.on('end', quit);
  pipe.on('error', quit);
  // The appliance died or closed the pool: never linger as an orphan holding models in memory.
  process.on('disconnect', quit);
  process.on('SIGTERM', quit);
  send(FromRecognizer.READY, 0, jsonPayload({ pid: process.pid }));
}

main();
