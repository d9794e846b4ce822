// Maps every failure to the one JSON error envelope. Unknown errors become INTERNAL and
// are logged once here, with the request context, never leaking internals to the client.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AppError, toErrorEnvelope } from '../errors/index.ts';
import type { Logger } from '../ops/index.ts';

export function zodIssues(error: ZodError): { field: string; reason: string }[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', reason: i.message }));
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError('VALIDATION_FAILED', 'request is not valid', { issues: zodIssues(err) });
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
    if (err.message.startsWith('Malformed JSON')) return new AppError('MALFORMED_JSON', 'request body is not valid JSON');
    if (err.status === 401) return new AppError('AUTH_REQUIRED', err.message || 'authentication required');
    return new AppError('VALIDATION_FAILED', err.message || 'request is not valid');
  }
  return new AppError('INTERNAL', 'internal error', undefined, { cause: err });
}

export function errorResponse(c: Context, err: unknown, logger: Logger): Response {
  const appErr = toAppError(err);
  if (appErr.code === 'INTERNAL') {
    logger.error({ err: appErr.cause ?? err, method: c.req.method, path: c.req.path }, 'unhandled error');
  }
  return c.json(toErrorEnvelope(appErr), appErr.status as ContentfulStatusCode);
}
