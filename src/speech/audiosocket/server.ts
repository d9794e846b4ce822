// The AudioSocket TCP listener: each connection is one call (a VoiceCall). Framing errors end
// only that call.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../ops/index.ts';
import { VoiceCall, type VoiceCallDeps } from '../voice-call.ts';
import { AudioSocketReader } from './protocol.ts';

export interface AudioSocketServer {
  listen(port: number, host: string): Promise<number>;
  /** Calls in progress (operations, tests). */
  calls(): VoiceCall[];
  close(): Promise<void>;
}

export function createAudioSocketServer(deps: VoiceCallDeps): AudioSocketServer {
  const log: Logger = deps.logger.child({ channel: 'audiosocket' });
  const calls = new Set<VoiceCall>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true); // 20 ms frames: do not let Nagle batch them
    sockets.add(socket);
    const call = new VoiceCall(socket, { ...deps, logger: log });
    calls.add(call);
    const reader = new AudioSocketReader(deps.config.maxFrameBytes);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const msg of reader.push(chunk)) call.receive(msg);
      } catch (err) {
        log.warn({ reason: (err as Error).message }, 'malformed AudioSocket frame; ending the call');
        call.end('protocol error');
        socket.destroy();
      }
    });
    socket.on('error', (err) => log.debug({ reason: err.message }, 'AudioSocket connection error'));
    socket.on('close', () => {
      call.end('connection closed', false);
      calls.delete(call);
      sockets.delete(socket);
    });
  });

  return {
    listen: (port, host) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    calls: () => [...calls],
    close: () =>
      new Promise<void>((resolve) => {
        for (const call of calls) call.end('appliance shutting down');
        for (const s of sockets) s.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
