import type { FastifyInstance } from 'fastify';
import { signedRequestHeaders, signTransaction, type TransactionEnvelope } from '../../src/chain/index.js';
import type { Operation, TransactionBody } from '../../src/core/index.js';
import { buildApp } from '../../src/node/api/app.js';
import type { SequencerOptions } from '../../src/node/sequencer.js';
import type { Store } from '../../src/store/types.js';
import { body, openTestLedger, signerOf, type TestLedger } from '../helpers.js';

export interface ApiFixture {
  app: FastifyInstance;
  t: TestLedger;
  /** A request signed as `participant`; `payload` is sent verbatim when it is a string. */
  call(participant: string | null, method: 'GET' | 'POST', url: string, payload?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; headers: Record<string, unknown> }>;
  envelope(signers: string | string[], operations: Operation[], extra?: Partial<TransactionBody>): Promise<TransactionEnvelope>;
  close(): Promise<void>;
}

export async function apiFixture(options: { sequencer?: Partial<SequencerOptions>; store?: Store } = {}): Promise<ApiFixture> {
  const t = await openTestLedger(options);
  const app = await buildApp({ ledger: t.ledger, checkResponses: true });
  const call: ApiFixture['call'] = async (participant, method, url, payload, extraHeaders = {}) => {
    const text = payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
    if (participant !== null) {
      Object.assign(headers, await signedRequestHeaders(signerOf(t.network, participant), method, url, text));
    }
    const response = await app.inject({ method, url, headers: { ...headers, ...extraHeaders }, ...(payload !== undefined && { payload: text }) });
    return { status: response.statusCode, json: response.body === '' ? null : JSON.parse(response.body), headers: response.headers };
  };
  const envelope: ApiFixture['envelope'] = (signers, operations, extra = {}) => {
    const names = Array.isArray(signers) ? signers : [signers];
    return signTransaction(body(t.network, names[0]!, operations, extra), names.map((name) => signerOf(t.network, name)));
  };
  return {
    app, t, call, envelope,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}
