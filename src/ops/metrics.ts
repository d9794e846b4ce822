// Prometheus metrics for the whole appliance, on one registry so tests can run many
// appliances in one process without name clashes.
import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  conversationsStarted: Counter<'channel'>;
  turns: Counter<'speaker' | 'language'>;
  handoffs: Counter<'reason'>;
  outcomes: Counter<'outcome' | 'variant'>;
  nluUnderstandSeconds: Histogram;
  nluReady: Gauge;
  wsConnections: Gauge<'channel'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'switchboard_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({
      name: 'switchboard_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    conversationsStarted: new Counter({ name: 'switchboard_conversations_started_total', help: 'Conversations started by channel', labelNames: ['channel'], registers: [registry] }),
    turns: new Counter({ name: 'switchboard_turns_total', help: 'Conversation turns by speaker and language', labelNames: ['speaker', 'language'], registers: [registry] }),
    handoffs: new Counter({ name: 'switchboard_handoffs_total', help: 'Handoff requests to human agents by reason', labelNames: ['reason'], registers: [registry] }),
    outcomes: new Counter({ name: 'switchboard_conversation_outcomes_total', help: 'Conversation outcomes by flow variant', labelNames: ['outcome', 'variant'], registers: [registry] }),
    nluUnderstandSeconds: new Histogram({
      name: 'switchboard_nlu_understand_seconds',
      help: 'Time to understand one customer message',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05],
      registers: [registry],
    }),
    nluReady: new Gauge({ name: 'switchboard_nlu_ready', help: '1 when an NLU model is loaded', registers: [registry] }),
    wsConnections: new Gauge({ name: 'switchboard_websocket_connections', help: 'Open WebSocket connections', labelNames: ['channel'], registers: [registry] }),
  };
}
