import type { SignedBlock } from '../chain/block.js';
import type { Signer } from '../chain/keys.js';
import { receiptProblem, type Receipt } from '../chain/receipt.js';
import { signedRequestHeaders } from '../chain/request.js';
import { newSalt, signTransaction, type DisclosedTransaction, type TransactionEnvelope } from '../chain/transaction.js';
import type { Genesis, Operation, TransactionBody, TransactionResult } from '../core/index.js';

/** A query string from the parameters that are set, each encoded. */
function queryString(parameters: Record<string, string | number | undefined>): string {
  const set = Object.entries(parameters).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return set.length === 0 ? '' : `?${set.map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join('&')}`;
}

/** The error a node answered with, from its response (`{ error: { type, code, message, param } }`, or just the status). */
export async function apiErrorOf(response: Response, baseUrl: string): Promise<DepositumApiError> {
  const payload = (await response.json().catch(() => null)) as { error?: { code: string; type: string; message: string; param?: string; request_id?: string; doc_url?: string } } | null;
  const error = payload?.error;
  const docUrl = error?.doc_url === undefined ? undefined : new URL(error.doc_url, baseUrl).toString();
  return new DepositumApiError(response.status, error?.code ?? 'http_error', error?.type ?? 'api_error', error?.message ?? `HTTP ${response.status}`, error?.param, error?.request_id ?? response.headers.get('x-request-id') ?? undefined, docUrl);
}

/** An error the node answered with: its wire shape `{ error: { type, code, message, param } }`. */
export class DepositumApiError extends Error {
  constructor(
    readonly status: number, readonly code: string, readonly type: string, message: string, readonly param?: string,
    /** The node's id of the request, also in its logs: quote it when asking the operator. */
    readonly requestId?: string,
    /** Where the node explains the code. */
    readonly docUrl?: string,
  ) {
    super(message);
    this.name = 'DepositumApiError';
  }
}

import type { AccountBalance, AccountPolicyInfo, AssetSupply, BalanceAt, ConditionalPaymentInfo, HistoryLine, HoldInfo, InstructionConflicts, InstructionInfo, LedgerEvent, NetSettlement, NetworkInfo, ParMember, PayeeCheck, ProposalInfo, SettlementInfo, Simulation } from '../wire/index.js';

/** What the API answers: the types of the schemas the node declares (src/wire), one source for both. */
export type { AccountBalance, AccountPolicyInfo, AssetSupply, BalanceAt, ConditionalPaymentInfo, HistoryLine, HoldInfo, InstructionConflicts, InstructionInfo, LedgerEvent, NetSettlement, NetworkInfo, ParMember, PayeeCheck, ProposalInfo, SettlementInfo, Simulation };

/** A transaction as the caller may see it: `envelope` whole, or `disclosed` with others' operations withheld. */
export interface TransactionRecord { hash: string; height: number; position: number; envelope?: TransactionEnvelope; disclosed?: DisclosedTransaction; result: TransactionResult; signers: string[] }
/** One line of an account's history. */
export interface Page<T> { data: T[]; has_more: boolean }
/** A page read by position: `next` resumes after its last line (it may be set with no data: the scan ran out of budget, not of lines). */
export interface CursorPage<T> extends Page<T> { next: string | null }
/** A list of holds, conditional payments or settlements: of one status, a page after an id. */
export interface ObjectsQuery<S extends string> { status?: S; limit?: number; startingAfter?: string }
const objectsQueryString = <S extends string>(query: ObjectsQuery<S>) => queryString({ status: query.status, limit: query.limit, starting_after: query.startingAfter });
/** A domain event as the caller may see it. */
export interface HistoryQuery {
  limit?: number;
  /** A position ("height:index:n") from a previous page's `next`. */
  startingAfter?: string;
  reference?: string;
  /** An account or a participant on the other side. */
  counterparty?: string;
  /** Milliseconds, a date (2026-11-21, UTC) or an ISO 8601 date-time; both ends inclusive. */
  from?: string | number;
  to?: string | number;
}
/** An account as of a time: its balances after the last event at or before it (`asOf`), in the block at that time. */
/** Why a recorded rejection (or a failed operation of a bulk file) was refused: the offending field and what was wrong with it. */
export interface RejectionExplanation { code: string; operation: number | null; param: string; message: string }
export type Submission = { status: 'sealed'; receipt: Receipt; replayed: boolean; explanations?: RejectionExplanation[]; /** Proposals a policy held the transaction (or some of a bulk file's operations) back as. */ heldBack?: string[] } | { status: 'pending'; hash: string; replayed: boolean };

/** A transaction as an observer receives it; a participant's partial view adds its position and inclusion proofs. */
export interface ReplicatedTransaction { envelope?: TransactionEnvelope; disclosed?: DisclosedTransaction; result: TransactionResult; signers: string[]; position?: number; transactionProof?: string[]; resultProof?: string[] }
/** A page of blocks for an observer: every transaction if `complete`, else only the caller's own. */
export interface ReplicationPage { complete: boolean; head: number; data: { block: SignedBlock; transactions: ReplicatedTransaction[] }[] }

export interface ClientOptions {
  /** A node's URL, or several nodes of one ledger: after a network error the client moves on to the next. */
  url: string | readonly string[];
  /** Signs requests (and, by default, transactions) as its participant. */
  signer: Signer;
  /**
   * How long a call that meets network errors or 503s keeps being retried (default 15 s,
   * enough to ride through a node restart or a sequencer fail-over). A submission is
   * resent with the same id, so it commits at most once.
   */
  retryMs?: number;
  /** Sign in once and send a bearer token instead of signing every request (cheaper for busy clients). */
  session?: boolean;
}

export interface SubmitOptions {
  id?: string;
  /** How long the transaction stays valid; default 5 minutes. */
  validForMs?: number;
  reference?: string;
  memo?: string;
  /** False: each operation applies or fails on its own (a bulk payment file). */
  atomic?: boolean;
  /** Other participants whose consent the operations need (e.g. the issuer for a redemption). */
  cosigners?: Signer[];
  wait?: boolean;
}

const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 1_000;
const RETRY_DEFAULT_MS = 15_000;

/** A typed client of a Depositum node: builds, signs and submits transactions, reads the ledger, checks proofs. */
export class DepositumClient {
  private info: NetworkInfo | null = null;
  private readonly urls: readonly string[];
  private current = 0;

  constructor(private readonly options: ClientOptions) {
    this.urls = (typeof options.url === 'string' ? [options.url] : options.url).map((url) => url.replace(/\/+$/, ''));
    if (this.urls.length === 0) throw new Error('give the client at least one node URL');
  }

  /** The node the client talks to now. */
  get url(): string {
    return this.urls[this.current]!;
  }

  get participant(): string {
    return this.options.signer.participant;
  }

  /**
   * One call of the API, with the one retry policy every call shares: a network error or
   * a 503 (a node restarting, a fail-over, back-pressure) is retried with back-off, on the
   * next node when this one cannot be reached, for up to `retryMs`; every attempt is signed
   * afresh (a signed request that creates something is single-use). Safe for every call the
   * API has: reads, sign-ins, and submissions (a transaction id commits at most once).
   * A JSON answer is parsed; any other (a CSV report) is returned as text.
   */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    // Serialized once: a request signature covers exactly the bytes that are sent.
    const text = body === undefined ? '' : JSON.stringify(body);
    const giveUpAt = Date.now() + (this.options.retryMs ?? RETRY_DEFAULT_MS);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.send<T>(method, path, text, await this.authentication(method, path, text));
      } catch (error) {
        // A node that restarted with another secret, or a removed key: sign in again, at once.
        if (this.options.session === true && error instanceof DepositumApiError && error.code === 'authentication_failed' && this.token !== null) {
          this.token = null;
          continue;
        }
        const unreachable = !(error instanceof DepositumApiError);
        if (unreachable) this.current = (this.current + 1) % this.urls.length;
        const transient = unreachable || error.status === 503;
        const pauseMs = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
        if (!transient || Date.now() + pauseMs > giveUpAt) throw error;
        // After a round of every node, wait; moving to the next node is free.
        if (!unreachable || (attempt + 1) % this.urls.length === 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }

  private token: Promise<string> | null = null;

  /**
   * The headers that authenticate one request made outside `request` (a live event stream):
   * the session's bearer token, or a request signature made now for exactly this request.
   */
  headersFor(method: 'GET' | 'POST', path: string, body = ''): Promise<Record<string, string>> {
    return this.authentication(method, path, body);
  }

  /** Forgets the session token (the node refused it): the next call signs in again. */
  resetSession(): void {
    this.token = null;
  }

  /** A bearer token (opened once, with a signed request), or a request signature made now. */
  private async authentication(method: string, path: string, text: string): Promise<Record<string, string>> {
    if (this.options.session !== true) return this.signedHeaders(method, path, text);
    this.token ??= this.openSession();
    return { authorization: `Bearer ${await this.token}` };
  }

  /** A session is always opened with a request signature. */
  private async openSession(): Promise<string> {
    try {
      const session = await this.send<{ token: string }>('POST', '/v1/sessions', '', await this.signedHeaders('POST', '/v1/sessions', ''));
      return session.token;
    } catch (error) {
      this.token = null;
      throw error;
    }
  }

  private signedHeaders(method: string, path: string, text: string): Promise<Record<string, string>> {
    return signedRequestHeaders(this.options.signer, method, path, text);
  }

  /** One attempt at the current node. */
  private async send<T>(method: 'GET' | 'POST', path: string, text: string, auth: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { ...auth };
    if (text !== '') headers['content-type'] = 'application/json';
    const response = await fetch(this.url + path, { method, headers, ...(text !== '' && { body: text }) });
    // A document that is not JSON (a CSV report) is answered as its text.
    const type = response.headers.get('content-type') ?? 'application/json';
    // Text documents (HTML, CSV) as strings; other documents (a PDF) as bytes.
    if (response.ok && !type.includes('json')) return (type.startsWith('text/') ? await response.text() : new Uint8Array(await response.arrayBuffer())) as T;
    if (!response.ok) throw await apiErrorOf(response, this.url);
    return (await response.json().catch(() => null)) as T;
  }

  async network(): Promise<NetworkInfo> {
    this.info ??= await this.request<NetworkInfo>('GET', '/v1/network');
    return this.info;
  }

  async buildTransaction(operations: Operation[], options: SubmitOptions = {}): Promise<TransactionBody> {
    const { network, timeMs } = await this.network();
    return {
      network,
      id: options.id ?? globalThis.crypto.randomUUID(),
      sender: this.participant,
      validUntilMs: Math.max(Date.now(), timeMs) + (options.validForMs ?? 5 * 60 * 1000),
      operations,
      ...(options.reference !== undefined && { reference: options.reference }),
      ...(options.memo !== undefined && { memo: options.memo }),
      ...(options.atomic !== undefined && { atomic: options.atomic }),
      salt: newSalt(),
    };
  }

  /** Builds, signs (with the client's signer and any cosigners) and submits. */
  async submit(operations: Operation[], options: SubmitOptions = {}): Promise<Submission> {
    const body = await this.buildTransaction(operations, options);
    const envelope = await signTransaction(body, [this.options.signer, ...(options.cosigners ?? [])]);
    return this.submitEnvelope(envelope, options.wait ?? true);
  }

  /** Submits a signed envelope; a retry (see request) resends the same content, so it commits at most once. */
  submitEnvelope(envelope: TransactionEnvelope, wait = true): Promise<Submission> {
    return this.request<Submission>('POST', `/v1/transactions?wait=${wait}`, envelope);
  }

  /** Null when the receipt proves the envelope sealed with its result under the network's validator keys, else why not. */
  async receiptProblem(receipt: Receipt, envelope: TransactionEnvelope | DisclosedTransaction): Promise<string | null> {
    const { validators, network } = await this.network();
    if (receipt.block.header.network !== network) return `receipt is from network ${receipt.block.header.network}`;
    return receiptProblem(receipt, envelope, validators);
  }

  genesis = (): Promise<Genesis> => this.request('GET', '/v1/genesis');
  asset = (id: string): Promise<AssetSupply> => this.request('GET', `/v1/assets/${encodeURIComponent(id)}`);
  account = (id: string): Promise<AccountBalance> => this.request('GET', `/v1/accounts/${encodeURIComponent(id)}`);
  accounts = (owner?: string, startingAfter?: string): Promise<Page<AccountBalance>> =>
    this.request('GET', `/v1/accounts?limit=500${owner === undefined ? '' : `&owner=${encodeURIComponent(owner)}`}${startingAfter === undefined ? '' : `&starting_after=${encodeURIComponent(startingAfter)}`}`);
  history = (account: string, query: HistoryQuery = {}): Promise<CursorPage<HistoryLine>> =>
    this.request('GET', `/v1/accounts/${encodeURIComponent(account)}/transactions${queryString({ limit: query.limit ?? 50, starting_after: query.startingAfter, reference: query.reference, counterparty: query.counterparty, from: query.from, to: query.to })}`);
  /** An account's balances as of a time (milliseconds, a date or an ISO 8601 date-time). */
  balanceAt = (account: string, at: string | number): Promise<BalanceAt> => this.request('GET', `/v1/accounts/${encodeURIComponent(account)}/balance${queryString({ at })}`);
  /** The caller's one transaction whose hash starts with `prefix` (at least 6 hex digits). */
  transactionByHashPrefix = (prefix: string): Promise<TransactionRecord> => this.request('GET', `/v1/transactions${queryString({ hash_prefix: prefix })}`);
  /** Domain events the caller may see, after a position, optionally of some types only. */
  events = (query: { after?: string; types?: readonly string[]; limit?: number } = {}): Promise<CursorPage<LedgerEvent>> =>
    this.request('GET', `/v1/events${queryString({ after: query.after, types: query.types?.join(','), limit: query.limit })}`);
  hold = (id: string): Promise<HoldInfo> => this.request('GET', `/v1/holds/${encodeURIComponent(id)}`);
  /** The holds the caller is a party to (all, for overseers), by id; `startingAfter` is the last id of the previous page. */
  holds = (query: ObjectsQuery<HoldInfo['status']> = {}): Promise<Page<HoldInfo>> => this.request('GET', `/v1/holds${objectsQueryString(query)}`);
  conditionalPayment = (id: string): Promise<ConditionalPaymentInfo> => this.request('GET', `/v1/conditional-payments/${encodeURIComponent(id)}`);
  /** The conditional payments the caller is concerned by (all, for overseers), by id. */
  conditionalPayments = (query: ObjectsQuery<ConditionalPaymentInfo['status']> = {}): Promise<Page<ConditionalPaymentInfo>> => this.request('GET', `/v1/conditional-payments${objectsQueryString(query)}`);
  /** What these operations would do if the caller sent them now: nothing is signed, recorded or changed. */
  simulate = (operations: Operation[], options: { atomic?: boolean; days?: number } = {}): Promise<Simulation> =>
    this.request('POST', '/v1/simulate', { operations, ...(options.atomic === false && { atomic: false }), ...(options.days !== undefined && { days: options.days }) });
  /** The caller's standing instructions (an overseer names the owner). */
  instructions = (query: { owner?: string; status?: string; limit?: number } = {}): Promise<Page<InstructionInfo>> => this.request('GET', `/v1/instructions${queryString(query)}`);
  instruction = (id: string): Promise<InstructionInfo> => this.request('GET', `/v1/instructions/${encodeURIComponent(id)}`);
  /** Conflicts among the caller's standing instructions over the next `days` days (default 31). */
  instructionConflicts = (query: { owner?: string; days?: number } = {}): Promise<InstructionConflicts> => this.request('GET', `/v1/instructions/conflicts${queryString(query)}`);
  /** The tokens settled at par with the other issuers of their currency. */
  parMembers = (): Promise<Page<ParMember>> => this.request('GET', '/v1/par/members');
  /** The net settlement report of a UTC day (YYYY-MM-DD; default: the day of the last block): a bank sees its own pairs. */
  netSettlement = (query: { day?: string } = {}): Promise<NetSettlement> => this.request('GET', `/v1/par/net${queryString(query)}`);
  /** Confirmation of payee, before paying: match, close_match (with the registered name), no_match or unavailable. */
  payeeCheck = (account: string, name: string): Promise<PayeeCheck> => this.request('GET', `/v1/payee-check?account=${encodeURIComponent(account)}&name=${encodeURIComponent(name)}`);
  settlement = (id: string): Promise<SettlementInfo> => this.request('GET', `/v1/settlements/${encodeURIComponent(id)}`);
  /** The settlements the caller is concerned by (all, for overseers), by id. */
  settlements = (query: ObjectsQuery<SettlementInfo['status']> = {}): Promise<Page<SettlementInfo>> => this.request('GET', `/v1/settlements${objectsQueryString(query)}`);
  /** Proposals the caller made or is named to approve (all, for overseers), newest first; `pending` ones wait for approvals. */
  proposals = (status?: ProposalInfo['status']): Promise<Page<ProposalInfo>> => this.request('GET', `/v1/proposals${status === undefined ? '' : `?status=${encodeURIComponent(status)}`}`);
  proposal = (id: string): Promise<ProposalInfo> => this.request('GET', `/v1/proposals/${encodeURIComponent(id)}`);
  accountPolicy = (account: string): Promise<AccountPolicyInfo> => this.request('GET', `/v1/accounts/${encodeURIComponent(account)}/policy`);
  transaction = (hash: string): Promise<TransactionRecord> => this.request('GET', `/v1/transactions/${hash}`);
  transactionById = (sender: string, id: string): Promise<TransactionRecord> =>
    this.request('GET', `/v1/transactions?sender=${encodeURIComponent(sender)}&id=${encodeURIComponent(id)}`);
  receipt = (hash: string): Promise<Receipt> => this.request('GET', `/v1/transactions/${hash}/receipt`);
  blocks = (startingAfter = 0, limit = 100): Promise<Page<SignedBlock>> => this.request('GET', `/v1/blocks?starting_after=${startingAfter}&limit=${limit}`);
  block = (height: number): Promise<SignedBlock> => this.request('GET', `/v1/blocks/${height}`);
  replication = (after: number, limit = 100): Promise<ReplicationPage> => this.request('GET', `/v1/replication?after=${after}&limit=${limit}`);
  blockTransactions = (height: number): Promise<{ complete: boolean; data: TransactionRecord[] }> => this.request('GET', `/v1/blocks/${height}/transactions`);
  assets = (startingAfter?: string): Promise<Page<AssetSupply>> => this.request('GET', `/v1/assets?limit=500${startingAfter === undefined ? '' : `&starting_after=${encodeURIComponent(startingAfter)}`}`);
  /** A participant as the caller may see it (keys, KYC and delegates for itself and overseers). */
  participantInfo = (id: string): Promise<Record<string, unknown>> => this.request('GET', `/v1/participants/${encodeURIComponent(id)}`);
  participants = (startingAfter?: string): Promise<Page<Record<string, unknown>>> => this.request('GET', `/v1/participants?limit=500${startingAfter === undefined ? '' : `&starting_after=${encodeURIComponent(startingAfter)}`}`);
}
