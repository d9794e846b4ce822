// Public face of the HTTP layer.
export { createHttpApp, type HttpAppOptions } from './app.ts';
export { OPENAPI_INFO } from './routes/ops.ts';
export type { HttpDeps, AppEnv, ReadinessReport } from './types.ts';
export { toAppError } from './errors.ts';
export { requireRole, principalOf } from './middleware.ts';
export { errorResponses, jsonBody, jsonContent, ConversationSchema, TurnSchema, PageQuery } from './schemas.ts';
