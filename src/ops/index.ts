// Public face of operations: logging and metrics.
export { createLogger, silentLogger, REDACTED_PATHS, type Logger } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
