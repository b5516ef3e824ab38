import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { LedgerEvent } from '../wire/index.js';
import { apiErrorOf, DepositumApiError, type DepositumClient } from './client.js';

/** A block as the live stream announces it, before its events. */
export interface BlockAnnouncement { height: number; hash: string; timeMs: number }

export interface FollowOptions {
  /** Resume strictly after this position ("height:index:n"); without it, only what comes from now on. */
  after?: string;
  types?: readonly string[];
  /** Stops following (the returned promise then resolves). */
  signal: AbortSignal;
}

export interface FollowHandlers {
  event(event: LedgerEvent): void;
  block?(block: BlockAnnouncement): void;
  /** `live` once the node has sent what was missed; `retrying` after a dropped connection, with why. */
  state?(state: 'connecting' | 'live' | 'retrying', error?: unknown): void;
}

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 8_000;

/**
 * Follows the node's event feed live (`text/event-stream`) until `signal` aborts. After a
 * dropped connection or a node restart it reconnects with back-off and resumes after the
 * last event received (Last-Event-ID), so no event is missed or delivered twice. A refusal
 * that retrying cannot mend (a bad `types`, a key the node does not know) rejects.
 */
export async function followEvents(client: DepositumClient, options: FollowOptions, handlers: FollowHandlers): Promise<void> {
  const path = `/v1/events${options.types === undefined ? '' : `?types=${encodeURIComponent(options.types.join(','))}`}`;
  let after = options.after;
  for (let attempt = 0; !options.signal.aborted; attempt += 1) {
    try {
      handlers.state?.('connecting');
      const headers = { ...(await client.headersFor('GET', path)), accept: 'text/event-stream', ...(after !== undefined && { 'last-event-id': after }) };
      const response = await fetch(client.url + path, { headers, signal: options.signal });
      if (!response.ok || response.body === null) throw await apiErrorOf(response, client.url);
      attempt = 0;
      const messages = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
      for (let next = await messages.read(); !next.done; next = await messages.read()) {
        const message = next.value;
        if (message.event === 'ready') handlers.state?.('live');
        else if (message.event === 'block') handlers.block?.(JSON.parse(message.data) as BlockAnnouncement);
        else if (message.id !== undefined) {
          after = message.id;
          handlers.event(JSON.parse(message.data) as LedgerEvent);
        }
      }
    } catch (error) {
      if (options.signal.aborted) return;
      if (error instanceof DepositumApiError && error.code === 'authentication_failed') client.resetSession();
      else if (error instanceof DepositumApiError && error.status >= 400 && error.status < 500 && error.status !== 429) throw error;
      handlers.state?.('retrying', error);
      const pauseMs = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
