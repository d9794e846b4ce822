// Handles one inbound MQTT message end to end: parse and validate (protocol.ts), drop a
// redelivery (inbox), dispatch to the handler of its type, and record the outcome in the
// same transaction as the effect. Unusable messages become dead letters; only a failure
// of the database itself escapes (then the message is not acknowledged and comes again).
import { isAppError } from '../../errors/index.ts';
import type { CustomerRepository } from '../../customers/index.ts';
import type { KnowledgeStore } from '../../knowledge/index.ts';
import type { Logger } from '../../ops/index.ts';
import type { Db } from '../../store/index.ts';
import type { DeadLetters } from '../dead-letters.ts';
import { parseInbound, type DeadLetterCode, type InboundMessage } from '../protocol.ts';
import { applyCustomerUpsert } from './customer.ts';
import { Inbox } from './inbox.ts';
import { applyArticleDelete, applyArticleUpsert, type ApplyResult } from './kb-article.ts';
import { EntityVersions } from './versions.ts';

export type InboundOutcome = 'applied' | 'stale' | 'duplicate' | 'dead_lettered';

export interface InboundDeps {
  db: Db;
  knowledge: KnowledgeStore;
  customers: CustomerRepository;
  deadLetters: DeadLetters;
  clock: () => Date;
  logger: Logger;
  maxBytes: number;
  /** Called after a committed change to articles. */
  onKnowledgeChanged: () => void;
  /** Observes every handled message (metrics). */
  onOutcome?: (type: string, outcome: InboundOutcome, code?: DeadLetterCode) => void;
}

export class InboundProcessor {
  readonly #inbox: Inbox;
  readonly #versions: EntityVersions;

  constructor(private readonly d: InboundDeps) {
    this.#inbox = new Inbox(d.db);
    this.#versions = new EntityVersions(d.db);
  }

  get versions(): EntityVersions {
    return this.#versions;
  }

  handle(topic: string, payload: Uint8Array): InboundOutcome {
    const at = this.d.clock().toISOString();
    const parsed = parseInbound(topic, payload, { maxBytes: this.d.maxBytes });
    const key = Inbox.keyFor(parsed.messageId, topic, payload);
    const type = parsed.type ?? 'unknown';
    if (this.#inbox.seen(key)) {
      this.d.onOutcome?.(type, 'duplicate');
      return 'duplicate';
    }
    if (!parsed.result.ok) return this.#deadLetter(topic, payload, key, parsed.messageId, parsed.type, parsed.result.code, parsed.result.reason, at);

    const msg = parsed.result.value;
    let result: ApplyResult;
    try {
      result = this.d.db.transaction(() => {
        const r = this.#apply(msg, at);
        this.#inbox.record(key, { topic, type: msg.type, outcome: r.outcome, at });
        return r;
      })();
    } catch (err) {
      // The message itself is at fault (refused by the KB or the customer rules): park it.
      if (isAppError(err)) {
        return this.#deadLetter(topic, payload, key, msg.messageId, msg.type, 'APPLY_FAILED', `${err.code}: ${err.message}`, at);
      }
      throw err;
    }
    this.d.onOutcome?.(msg.type, result.outcome);
    if (result.knowledgeChanged) {
      try {
        this.d.onKnowledgeChanged();
      } catch (err) {
        this.d.logger.error({ err }, 'knowledge-changed callback failed');
      }
    }
    return result.outcome;
  }

  #apply(msg: InboundMessage, at: string): ApplyResult {
    const deps = { versions: this.#versions, at };
    switch (msg.type) {
      case 'kb.article.upsert':
        return applyArticleUpsert(msg, { ...deps, kb: this.d.knowledge });
      case 'kb.article.delete':
        return applyArticleDelete(msg, { ...deps, kb: this.d.knowledge });
      case 'customer.upsert':
        return applyCustomerUpsert(msg, { ...deps, customers: this.d.customers });
    }
  }

  #deadLetter(topic: string, payload: Uint8Array, key: string, messageId: string | null, type: string | null, code: DeadLetterCode, reason: string, at: string): InboundOutcome {
    this.d.db.transaction(() => {
      this.d.deadLetters.add({ topic, messageId, code, reason, payload, at });
      this.#inbox.record(key, { topic, type, outcome: 'dead_lettered', at });
    })();
    this.d.logger.warn({ topic, messageId, code, reason }, 'inbound message dead-lettered');
    this.d.onOutcome?.(type ?? 'unknown', 'dead_lettered', code);
    return 'dead_lettered';
  }
}
