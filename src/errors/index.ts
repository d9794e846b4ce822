// The AppError family: every failure a client can see has a stable string code, mapped
// once to HTTP status (and later WebSocket / MQTT replies) so clients can branch on it.

export const ERROR_CODES = {
  // request shape
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  MESSAGE_TOO_LONG: 400,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  // auth
  AUTH_REQUIRED: 401,
  AUTH_TOKEN_INVALID: 401,
  AUTH_TOKEN_EXPIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_BOOTSTRAP_CLOSED: 409,
  ACCOUNT_EXISTS: 409,
  ACCOUNT_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  // conversation
  CONVERSATION_NOT_FOUND: 404,
  CONVERSATION_CLOSED: 409,
  CONVERSATION_STATE_CONFLICT: 409,
  TICKET_NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  // knowledge
  KB_ARTICLE_NOT_FOUND: 404,
  KB_ARTICLE_EXISTS: 409,
  KB_VERSION_CONFLICT: 409,
  KB_QUERY_INVALID: 400,
  KB_IMPORT_INVALID: 400,
  // nlu / dialog
  NLU_NOT_READY: 503,
  NLU_TRAINING_FAILED: 500,
  NLU_TRAINING_IN_PROGRESS: 409,
  FLOW_INVALID: 400,
  // config
  CONFIG_INVALID: 500,
  // catch-all
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The JSON error envelope every route and channel answers with. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function toErrorEnvelope(err: AppError): ErrorEnvelope {
  const body: ErrorEnvelope = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  return body;
}
