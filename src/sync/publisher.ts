// The outbound pump: reads the outbox in order, keeps at most `maxInFlight` QoS 1 publishes
// awaiting PUBACK, and marks an event delivered only once its PUBACK arrived. One attach()
// per broker connection; everything unacknowledged when a connection ends is re-read from
// the outbox on the next one, in the same order, so nothing is lost or reordered.
import type { Logger } from '../ops/index.ts';
import { encodeEvent } from './envelope.ts';
import type { OutboxStore } from './outbox.ts';
import type { TopicScope } from './protocol.ts';

/** What the publisher needs from an MQTT connection (MQTT.js's client fits). */
export interface PublishTransport {
  publish(topic: string, payload: string, options: { qos: 1 }, callback: (err?: Error, ack?: { reasonCode?: number }) => void): unknown;
}

export interface PublisherOptions {
  outbox: OutboxStore;
  scope: TopicScope;
  batchSize: number;
  maxInFlight: number;
  pollIntervalMs: number;
  ackFlushMs: number;
  clock: () => Date;
  logger: Logger;
  /** After a batch of events was marked delivered. */
  onDelivered?: (count: number, at: string) => void;
  /** The broker refused a publish (PUBACK reason code ≥ 0x80): the connection should be recycled. */
  onRejected?: (err: Error) => void;
  /**
   * Treat PUBACK "no matching subscribers" (0x10) as not delivered: with no CRM bridge
   * subscribed, the broker would accept and discard the event.
   */
  requireSubscriber: boolean;
}

/** MQTT 5 PUBACK reason code: accepted, but nobody subscribes to the topic. */
const NO_MATCHING_SUBSCRIBERS = 0x10;

export type PublisherState = 'detached' | 'publishing' | 'idle' | 'draining';

export class Publisher {
  #state: PublisherState = 'detached';
  #transport: PublishTransport | null = null;
  /** Bumped per attach/detach: callbacks of an older connection are ignored. */
  #generation = 0;
  #cursor = 0;
  #buffer: import('./outbox.ts').OutboxEvent[] = [];
  #inFlight = 0;
  #acked: number[] = [];
  #flushTimer: NodeJS.Timeout | null = null;
  #pollTimer: NodeJS.Timeout | null = null;
  #pumping = false;
  #published = 0;
  #delivered = 0;

  constructor(private readonly o: PublisherOptions) {}

  get state(): PublisherState {
    return this.#state;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get stats(): { published: number; delivered: number } {
    return { published: this.#published, delivered: this.#delivered };
  }

  /** Starts publishing on a fresh connection, from the oldest undelivered event. */
  attach(transport: PublishTransport): void {
    this.#flushAcks();
    this.#generation++;
    this.#transport = transport;
    this.#cursor = 0;
    this.#buffer = [];
    this.#inFlight = 0;
    this.#state = 'publishing';
    this.#pump();
  }

  /** The connection is gone: keep what was acknowledged, forget what was in flight. */
  detach(): void {
    this.#generation++;
    this.#transport = null;
    this.#buffer = [];
    this.#inFlight = 0;
    this.#state = 'detached';
    this.#clearPoll();
    this.#flushAcks();
  }

  /** New events were written: publish now rather than at the next poll. */
  wake(): void {
    if (this.#state === 'idle') {
      this.#clearPoll();
      this.#state = 'publishing';
      this.#pump();
    }
  }

  /** Stops taking new events and waits (bounded) for the PUBACKs of those in flight. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.#state === 'detached') return;
    this.#state = 'draining';
    this.#clearPoll();
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight > 0 && this.#transport && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    this.#flushAcks();
  }

  /** Flushes acknowledgements; the caller then closes the connection. */
  close(): void {
    this.detach();
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
  }

  #pump(): void {
    if (this.#pumping) return; // publish callbacks may fire synchronously
    this.#pumping = true;
    try {
      while (this.#transport && this.#inFlight < this.o.maxInFlight) {
        if (this.#buffer.length === 0) {
          this.#buffer = this.o.outbox.nextBatch(this.#cursor, this.o.batchSize);
          if (this.#buffer.length === 0) {
            this.#idle();
            return;
          }
        }
        const event = this.#buffer.shift()!;
        this.#cursor = event.seq;
        const { topic, payload } = encodeEvent(event, this.o.scope);
        const generation = this.#generation;
        this.#inFlight++;
        this.#published++;
        this.#transport.publish(topic, payload, { qos: 1 }, (err, ack) => {
          const unheard = !err && this.o.requireSubscriber && ack?.reasonCode === NO_MATCHING_SUBSCRIBERS;
          this.#settled(generation, event.seq, unheard ? new Error('no CRM consumer subscribed (PUBACK 0x10); holding events until one is') : err);
        });
      }
    } finally {
      this.#pumping = false;
    }
  }

  #settled(generation: number, seq: number, err: Error | undefined): void {
    if (generation !== this.#generation) return;
    this.#inFlight--;
    if (err) {
      // Not delivered: it stays in the outbox and goes out again on the next connection.
      this.o.logger.warn({ err, seq }, 'broker did not acknowledge an event; reconnecting to retry it');
      this.o.onRejected?.(err);
      return;
    }
    this.#acked.push(seq);
    if (this.#acked.length >= 1000) this.#flushAcks();
    else this.#flushTimer ??= setTimeout(() => this.#flushAcks(), this.o.ackFlushMs);
    if (this.#state === 'publishing') this.#pump();
  }

  #flushAcks(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#acked.length === 0) return;
    const seqs = this.#acked;
    this.#acked = [];
    const at = this.o.clock().toISOString();
    this.o.outbox.markDelivered(seqs, at);
    this.#delivered += seqs.length;
    this.o.onDelivered?.(seqs.length, at);
  }

  #idle(): void {
    this.#state = 'idle';
    this.#clearPoll();
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = null;
      if (this.#state !== 'idle') return;
      this.#state = 'publishing';
      this.#pump();
    }, this.o.pollIntervalMs);
  }

  #clearPoll(): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
  }
}
