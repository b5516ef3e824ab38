import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_HEADERS } from '../../chain/index.js';
import { LedgerError } from '../errors.js';
import type { Ledger } from '../ledger.js';

/** Where the sequencer is, as this node last saw the lease (null while nobody holds it). */
export interface SequencerLocator {
  readonly leaderUrl: string | null;
}

/** Marks a forwarded request, so that two nodes with stale views of the lease never bounce it between them. */
export const FORWARDED_HEADER = 'x-depositum-forwarded-by';
/** Longer than a waited receipt takes; the sequencer answers 503 itself when it cannot. */
const FORWARD_TIMEOUT_MS = 30_000;
/** How long a follower waits to apply the block it forwarded into, so its own reads show it. */
const READ_YOUR_WRITES_MS = 2_000;
const PASSED_ON = ['content-type', 'authorization', ...Object.values(AUTH_HEADERS)];
const PASSED_BACK = ['content-type', 'retry-after', 'idempotent-replayed'];

/**
 * Hands a submission to the sequencer unchanged: the same bytes and the caller's own
 * credentials (a request signature covers method, path and body; a session token is
 * accepted by every node), so the sequencer authenticates and admits it exactly as if
 * it had come straight in. A sealed answer is relayed once this node shows its block.
 */
export async function forwardSubmission(request: FastifyRequest, reply: FastifyReply, ledger: Ledger, locator: SequencerLocator, self: string): Promise<FastifyReply> {
  const leaderUrl = locator.leaderUrl;
  if (leaderUrl === null || request.headers[FORWARDED_HEADER] !== undefined) {
    throw new LedgerError('unavailable', 'no sequencer is elected right now (fail-over in progress); retry shortly with the same transaction id', undefined, 1);
  }
  const headers: Record<string, string> = { [FORWARDED_HEADER]: self };
  for (const name of PASSED_ON) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  let response: Response;
  try {
    response = await fetch(`${leaderUrl}${request.url}`, { method: 'POST', headers, body: request.rawBody ?? '', signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
  } catch (error) {
    request.log.warn({ err: error, leaderUrl }, 'could not forward a submission to the sequencer');
    throw new LedgerError('unavailable', 'the sequencer did not answer (fail-over in progress?); retry shortly with the same transaction id', undefined, 1);
  }
  const text = await response.text();
  if (response.status === 200) {
    const height = (JSON.parse(text) as { receipt?: { block?: { header?: { height?: number } } } }).receipt?.block?.header?.height;
    if (height !== undefined) await ledger.reach(height, READ_YOUR_WRITES_MS);
  }
  for (const name of PASSED_BACK) {
    const value = response.headers.get(name);
    if (value !== null) void reply.header(name, value);
  }
  return reply.status(response.status).send(text);
}
