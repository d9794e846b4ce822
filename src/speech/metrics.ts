// Speech metrics, registered on the appliance's one Prometheus registry (created here so the
// speech folder stays self-contained; names follow switchboard_*). Restarting speech services on
// the same registry reuses the series instead of failing on duplicate names.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface SpeechMetrics {
  streams: Gauge;
  streamsRefused: Counter<'code'>;
  engineRestarts: Counter<'reason'>;
  resultSeconds: Histogram<'type'>;
  calls: Gauge;
}

export function createSpeechMetrics(registry?: Registry): SpeechMetrics {
  const registers = registry ? [registry] : [];
  const reuse = <T>(name: string, make: () => T): T => (registry?.getSingleMetric(name) as T | undefined) ?? make();
  return {
    streams: reuse('switchboard_speech_streams', () => new Gauge({ name: 'switchboard_speech_streams', help: 'Open speech recognition streams', registers })),
    streamsRefused: reuse(
      'switchboard_speech_streams_refused_total',
      () => new Counter({ name: 'switchboard_speech_streams_refused_total', help: 'Streams refused (busy, engine unavailable)', labelNames: ['code'], registers }),
    ),
    engineRestarts: reuse(
      'switchboard_speech_engine_restarts_total',
      () => new Counter({ name: 'switchboard_speech_engine_restarts_total', help: 'Recognizer processes that died and were restarted', labelNames: ['reason'], registers }),
    ),
    resultSeconds: reuse(
      'switchboard_speech_result_seconds',
      () =>
        new Histogram({
          name: 'switchboard_speech_result_seconds',
          help: 'Time from an audio frame to its recognition result',
          labelNames: ['type'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1],
          registers,
        }),
    ),
    calls: reuse('switchboard_speech_calls', () => new Gauge({ name: 'switchboard_speech_calls', help: 'Active AudioSocket calls', registers })),
  };
}
