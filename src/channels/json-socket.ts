// The plumbing every JSON WebSocket channel shares (kiosk chat, agent desktop): frames parsed
// and validated against the channel's protocol, handled one at a time in arrival order,
// failures answered with the error envelope, and sockets that never authenticate closed.
import type { RawData, WebSocket } from 'ws';
import type { ZodType } from 'zod';
import { AppError } from '../errors/index.ts';
import { toAppError } from '../http/index.ts';
import type { Logger } from '../ops/index.ts';

export interface ErrorFrame {
  type: 'error';
  error: { code: string; message: string; details?: unknown };
}

export interface JsonSocketOptions<In> {
  ws: WebSocket;
  /** The channel's client-message union. */
  protocol: ZodType<In>;
  /** For error messages and logs, e.g. "chat". */
  channel: string;
  log: Logger;
  /** Close with 4401 if the client has not authenticated by then. */
  helloTimeoutMs: number;
  isAuthenticated: () => boolean;
  handle: (message: In) => Promise<void> | void;
  onClose: () => void;
}

export function serveJsonSocket<In, Out>(options: JsonSocketOptions<In>): { send: (message: Out | ErrorFrame) => void } {
  const { ws, log } = options;
  const send = (message: Out | ErrorFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const sendError = (err: unknown) => {
    const e = toAppError(err);
    if (e.code === 'INTERNAL') log.error({ err: e.cause ?? err }, `${options.channel} message failed`);
    send({ type: 'error', error: e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details } });
  };
  const helloTimer = setTimeout(() => {
    if (!options.isAuthenticated()) {
      sendError(new AppError('AUTH_REQUIRED', 'say hello with an access token first'));
      ws.close(4401, 'authentication required');
    }
  }, options.helloTimeoutMs);

  const parse = (data: RawData, isBinary: boolean): In => {
    if (isBinary) throw new AppError('VALIDATION_FAILED', `the ${options.channel} channel takes JSON text frames only`);
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      throw new AppError('MALFORMED_JSON', 'message is not valid JSON');
    }
    const parsed = options.protocol.safeParse(json);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', `message does not match the ${options.channel} protocol`, {
        issues: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(message)', reason: i.message })),
      });
    }
    return parsed.data;
  };

  // One message at a time, in arrival order, even when handling one awaits (authentication).
  let queue: Promise<void> = Promise.resolve();
  ws.on('message', (data, isBinary) => {
    queue = queue.then(() => options.handle(parse(data, isBinary))).catch(sendError);
  });
  ws.on('error', (err) => log.warn({ err: err.message }, `${options.channel} socket error`));
  ws.on('close', () => {
    clearTimeout(helloTimer);
    options.onClose();
  });
  return { send };
}
