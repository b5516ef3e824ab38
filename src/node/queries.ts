import { formatPosition, parsePosition, type EventPosition, type EventRecord } from '../chain/index.js';
import { compareNames } from '../names/match.js';
import { applyKeeping, conditionalParties, Draft, instructionConflicts, simulateInstructions, formatAmount, settlementParties, kycProblem, lookupIn, type Operation, type Proposal, type TransactionBody, type Account, type Asset, type LedgerState, type Hold, type HoldStatus, type ConditionalPayment, type ConditionalStatus, type Settlement, type SettlementStatus } from '../core/index.js';
import type { HistoryLine, Store, StoredTransaction } from '../store/types.js';
import { LedgerError } from './errors.js';
import type { Receipts } from './receipts.js';
import { accountPolicyView, accountView, conditionalView, eventView, holdView, proposalView, settlementView, transactionView } from './views.js';
import { actsAs, canSeeEvent, canSeeTransaction, viewOfTransaction, type Viewer } from './visibility.js';

/** A simulated transaction's salt: the state machine never reads it (only a transaction's hash does). */
const SIMULATION_SALT = 'A'.repeat(43);

/** Operations whose simulation lists the conflicts among the caller's standing instructions. */
const PLANNING = new Set(['set_standing_instruction', 'cancel_standing_instruction', 'set_account_policy', 'remove_account_policy']);

/** Conflicts are looked for over this many days when the simulation names none. */
const CONFLICT_DAYS_DEFAULT = 31;
const DAY_MS = 86_400_000;

/** At most this many stored rows are read to answer one filtered page (the cursor goes on from there). */
const SCAN_ROWS_MAX = 5000;
const SCAN_BATCH = 200;

export interface HistoryFilter {
  /** Only lines whose transaction carries this ISO 20022 reference. */
  reference?: string;
  /** Only lines whose counterparty is this account, or an account of this participant. */
  counterparty?: string;
  fromMs?: number;
  toMs?: number;
  startingAfter?: string;
  limit: number;
}

/** A page of a feed read with filters: `next` resumes after the last row read, even if it was not shown. */
export interface FilteredPage<T> {
  data: T[];
  has_more: boolean;
  next: string | null;
}

function position(text: string | undefined, param: string): EventPosition | undefined {
  if (text === undefined) return undefined;
  const parsed = parsePosition(text);
  if (parsed === null) throw new LedgerError('invalid_request', `${param} is a position "height:index:n", e.g. "12:3:0"`, param);
  return parsed;
}

/** The other side of an account's history line: the account paid or paying, or the issuer that minted or burnt. */
function counterpartyOf(event: EventRecord, account: Account): string | null {
  const data = event.data as { from?: unknown; to?: unknown };
  if (data.from === account.id && typeof data.to === 'string' && data.to !== account.id) return data.to;
  if (data.to === account.id && typeof data.from === 'string' && data.from !== account.id) return data.from;
  return event.participants.find((participant) => participant !== account.owner) ?? null;
}

const signed = (minor: bigint, decimals: number): string => (minor > 0n ? `+${formatAmount(minor, decimals)}` : formatAmount(minor, decimals));

/** How many transactions sharing a hash prefix are looked at to find the caller's one. */
const HASH_PREFIX_CANDIDATES = 64;

/**
 * The ledger's read service: what a participant may see, as it may see it. It speaks
 * the ledger's errors (LedgerError); the HTTP API maps them.
 */
export class LedgerQueries {
  constructor(private readonly state: () => LedgerState, private readonly store: () => Store, private readonly receipts: Receipts) {}

  account(viewer: Viewer, id: string): { account: Account; asset: Asset } {
    const state = this.state();
    const account = state.accounts.get(id);
    if (account === undefined) throw new LedgerError('account_not_found', `no account ${id}`, 'id');
    if (!viewer.seesAll && !actsAs(viewer, account.owner, state)) throw new LedgerError('forbidden', `account ${id} does not belong to ${viewer.participant.id}`, 'id');
    return { account, asset: state.assets.get(account.asset)! };
  }

  hold(viewer: Viewer, id: string) {
    const state = this.state();
    const hold = state.holds.get(id);
    if (hold === undefined) throw new LedgerError('hold_not_found', `no hold ${id}`, 'id');
    if (!seesHold(viewer, hold, state)) throw new LedgerError('forbidden', `${viewer.participant.id} is not a party to hold ${hold.id}`, 'id');
    return holdView(hold, state.assets.get(hold.asset)!);
  }

  /** The holds the viewer is a party to (every one, for overseers), of a status if given. */
  holds(viewer: Viewer, status: HoldStatus | undefined): Hold[] {
    const state = this.state();
    return [...state.holds.values()].filter((hold) => (status === undefined || hold.status === status) && seesHold(viewer, hold, state));
  }

  /** The conditional payments the viewer is concerned by (every one, for overseers), of a status if given. */
  conditionalPayments(viewer: Viewer, status: ConditionalStatus | undefined): ConditionalPayment[] {
    const state = this.state();
    const lookup = lookupIn(state);
    return [...state.conditional_payments.values()].filter((payment) => (status === undefined || payment.status === status)
      && (viewer.seesAll || conditionalParties(payment.id, lookup).some((party) => actsAs(viewer, party, state))));
  }

  /** The settlements the viewer is concerned by (every one, for overseers), of a status if given. */
  settlements(viewer: Viewer, status: SettlementStatus | undefined): Settlement[] {
    const state = this.state();
    const lookup = lookupIn(state);
    return [...state.settlements.values()].filter((settlement) => (status === undefined || settlement.status === status)
      && (viewer.seesAll || settlementParties(settlement.id, lookup).some((party) => actsAs(viewer, party, state))));
  }

  /** A conditional payment, for its payer's and payee's owners, the participants it names, and overseers. */
  conditionalPayment(viewer: Viewer, id: string, atMs: number) {
    const state = this.state();
    const payment = state.conditional_payments.get(id);
    if (payment === undefined) throw new LedgerError('conditional_payment_not_found', `no conditional payment ${id}`, 'id');
    // Who it concerns by the same rule as its operations' parties.
    const concerned = conditionalParties(id, lookupIn(state));
    if (!viewer.seesAll && !concerned.some((party) => actsAs(viewer, party, state))) throw new LedgerError('forbidden', `${viewer.participant.id} is not a party to conditional payment ${id}`, 'id');
    return conditionalView(payment, state.assets.get(payment.asset)!, atMs);
  }

  /** Views of listed objects: a page's only, built after the page is cut. */
  holdViews(holds: readonly Hold[]) {
    const state = this.state();
    return holds.map((hold) => holdView(hold, state.assets.get(hold.asset)!));
  }

  conditionalViews(payments: readonly ConditionalPayment[], atMs: number) {
    const state = this.state();
    return payments.map((payment) => conditionalView(payment, state.assets.get(payment.asset)!, atMs));
  }

  settlementViews(settlements: readonly Settlement[]) {
    const state = this.state();
    const owner = (account: string) => state.accounts.get(account)!.owner;
    return settlements.map((settlement) => settlementView(settlement, (asset) => state.assets.get(asset)!, owner));
  }

  /**
   * Runs operations as the caller would send them (its own signature only) against the
   * current state, at `atMs`, and changes nothing: the result, why each refusal, the
   * events, and the balances after of the caller's own accounts (never anyone else's:
   * a simulated payment does not reveal the payee's balance). With `days`, the caller's
   * standing instructions (those the operations set up included) are then played over
   * that many days; when the operations set up, cancel or govern instructions (or `days`
   * is given), the conflicts among them are listed.
   */
  simulate(viewer: Viewer, operations: Operation[], atomic: boolean, atMs: number, days?: number) {
    const state = this.state();
    const body: TransactionBody = { network: 'simulation', id: `simulation-${atMs}`, sender: viewer.participant.id, validUntilMs: atMs, operations, salt: SIMULATION_SALT, ...(!atomic && { atomic: false }) };
    const { applied, draft } = applyKeeping(state, { body, signers: new Set([viewer.participant.id]) }, atMs, true);
    const balances = this.ownBalances(viewer, state, applied.events.flatMap(({ balances: after }) => after));
    const plans = days !== undefined || operations.some((op) => PLANNING.has(op.type));
    const untilMs = atMs + (days ?? CONFLICT_DAYS_DEFAULT) * DAY_MS;
    return {
      result: applied.result,
      explanations: applied.explanations.map(({ code, operation, field, message }) => ({ code, operation, ...(field !== undefined && { field }), message })),
      events: applied.events.map(({ event, operation }) => ({ type: event.type, operation, data: event.data })),
      balances,
      ...(days !== undefined && draft !== null && { schedule: this.playSchedule(viewer, state, new Draft(draft), atMs, untilMs) }),
      ...(plans && draft !== null && { conflicts: instructionConflicts(draft, viewer.participant.id, atMs, untilMs) }),
    };
  }

  /** The caller's standing instructions run over (fromMs, untilMs] on a draft that is dropped. */
  private playSchedule(viewer: Viewer, state: LedgerState, draft: Draft, fromMs: number, untilMs: number) {
    const { runs, complete } = simulateInstructions(draft, viewer.participant.id, fromMs, untilMs);
    return {
      fromMs, untilMs, complete,
      runs: runs.map(({ atMs, instruction, events }) => ({ atMs, instruction, events: events.map(({ event }) => ({ type: event.type, data: event.data })) })),
      balances: this.ownBalances(viewer, state, runs.flatMap(({ events }) => events.flatMap(({ balances: after }) => after))),
    };
  }

  /** The last balances of the viewer's own accounts among `after`, in the asset's unit. */
  private ownBalances(viewer: Viewer, state: LedgerState, after: readonly { account: string; availableMinor: bigint; heldMinor: bigint }[]) {
    const own = (account: string) => viewer.seesAll || actsAs(viewer, state.accounts.get(account)?.owner, state);
    const last = new Map<string, { availableMinor: bigint; heldMinor: bigint }>();
    for (const balance of after) if (own(balance.account)) last.set(balance.account, balance);
    return [...last].map(([account, balance]) => {
      const { decimals } = state.assets.get(state.accounts.get(account)!.asset)!;
      return { account, available: formatAmount(balance.availableMinor, decimals), held: formatAmount(balance.heldMinor, decimals) };
    });
  }

  /**
   * Confirmation of payee: does this account exist and take payments, and does its
   * owner's legal name match the one the payer expects? Any participant may ask; the
   * answer is one word, plus the registered name on a close match (so the payer can
   * correct it). Why an account is unavailable (unknown, frozen, its owner's KYC) is not said.
   */
  payeeCheck(account: string, expectedName: string, atMs: number): { account: string; result: 'match' | 'close_match' | 'no_match' | 'unavailable'; registeredName?: string } {
    const state = this.state();
    const found = state.accounts.get(account);
    const owner = found === undefined ? undefined : state.participants.get(found.owner);
    if (found === undefined || owner === undefined || found.frozen || kycProblem(owner, atMs) !== null) return { account, result: 'unavailable' };
    const { verdict } = compareNames(owner.legalName, expectedName);
    return verdict === 'close_match' ? { account, result: verdict, registeredName: owner.legalName } : { account, result: verdict };
  }

  /**
   * A proposal, for its proposer, the approvers it names, and overseers. The payee of a
   * payment awaiting approval does not see it: it learns of the payment when it runs.
   */
  proposal(viewer: Viewer, id: string) {
    const state = this.state();
    const proposal = state.proposals.get(id);
    if (proposal === undefined) throw new LedgerError('proposal_not_found', `no proposal ${id}`, 'id');
    if (!this.seesProposal(viewer, proposal, state)) throw new LedgerError('forbidden', `${viewer.participant.id} neither made proposal ${id} nor is named to approve it`, 'id');
    return proposalView(proposal);
  }

  /** The proposals the viewer may see, newest first; `status` narrows them (pending: what waits for approvals). */
  proposals(viewer: Viewer, status: Proposal['status'] | undefined, limit: number) {
    const state = this.state();
    const seen = [...state.proposals.values()].filter((p) => (status === undefined || p.status === status) && this.seesProposal(viewer, p, state));
    seen.sort((a, b) => b.createdAtMs - a.createdAtMs || Number(b.id.slice(9)) - Number(a.id.slice(9)));
    return { data: seen.slice(0, limit).map(proposalView), has_more: seen.length > limit };
  }

  private seesProposal(viewer: Viewer, proposal: Proposal, state: LedgerState): boolean {
    const named = [proposal.proposer, ...proposal.requirements.flatMap((requirement) => requirement.approvers)];
    return viewer.seesAll || named.some((participant) => actsAs(viewer, participant, state));
  }

  /** An account's policy in force, for whoever may see the account. */
  accountPolicy(viewer: Viewer, id: string, atMs: number) {
    const { account, asset } = this.account(viewer, id);
    const policy = this.state().account_policies.get(account.id);
    if (policy?.enabled !== true) throw new LedgerError('policy_not_found', `${id} has no policy in force`, 'id');
    return accountPolicyView(policy, asset, atMs);
  }

  /** A settlement, for the owners of the accounts its legs name, its settlers, and overseers. */
  settlement(viewer: Viewer, id: string) {
    const state = this.state();
    const settlement = state.settlements.get(id);
    if (settlement === undefined) throw new LedgerError('settlement_not_found', `no settlement ${id}`, 'id');
    const owner = (account: string) => state.accounts.get(account)!.owner;
    const concerned = settlementParties(id, lookupIn(state));
    if (!viewer.seesAll && !concerned.some((party) => actsAs(viewer, party, state))) throw new LedgerError('forbidden', `${viewer.participant.id} is not a party to settlement ${id}`, 'id');
    return settlementView(settlement, (asset) => state.assets.get(asset)!, owner);
  }

  /**
   * An account's history, newest first: every event that moved or named it (rejected
   * attempts by its owner included), with its change and its balances after, the
   * counterparty, the reference and the memo.
   */
  async history(viewer: Viewer, id: string, filter: HistoryFilter): Promise<FilteredPage<ReturnType<LedgerQueries['historyLine']>>> {
    const { account, asset } = this.account(viewer, id);
    const store = this.store();
    const fromHeight = filter.fromMs === undefined ? undefined : (await store.heightAt(filter.fromMs - 1)) + 1;
    const toHeight = filter.toMs === undefined ? undefined : await store.heightAt(filter.toMs);
    let before = position(filter.startingAfter, 'starting_after');
    const data: ReturnType<LedgerQueries['historyLine']>[] = [];
    let scanned = 0;
    let last: EventPosition | undefined;
    for (;;) {
      // One row more than shown: each line's change is its balances less the line before's.
      const rows = await store.accountHistory(id, { ...(before !== undefined && { before }), ...(fromHeight !== undefined && { fromHeight }), ...(toHeight !== undefined && { toHeight }), limit: SCAN_BATCH + 1 });
      for (const [i, line] of rows.slice(0, SCAN_BATCH).entries()) {
        scanned += 1;
        last = line.entry;
        const previous = rows[i + 1] ?? (await store.accountHistory(id, { before: line.entry, limit: 1 }))[0];
        if (!this.lineBelongs(viewer, line, account)) continue;
        const shown = this.historyLine(line, previous, account, asset);
        if (filter.reference !== undefined && shown.reference !== filter.reference) continue;
        if (filter.counterparty !== undefined && shown.counterparty !== filter.counterparty && this.state().accounts.get(shown.counterparty ?? '')?.owner !== filter.counterparty) continue;
        data.push(shown);
        if (data.length === filter.limit) return { data, has_more: true, next: formatPosition(line.entry) };
      }
      if (rows.length <= SCAN_BATCH) return { data, has_more: false, next: null };
      if (scanned >= SCAN_ROWS_MAX) return { data, has_more: true, next: last === undefined ? null : formatPosition(last) };
      before = last;
    }
  }

  /** A stored line is shown only if its event names the account (a forged index row is not) and the viewer may see the event. */
  private lineBelongs(viewer: Viewer, line: HistoryLine, account: Account): boolean {
    return line.event.accounts.includes(account.id) && canSeeEvent(viewer, line.event, this.state());
  }

  historyLine(line: HistoryLine, previous: HistoryLine | undefined, account: Account, asset: Asset) {
    const { entry, event } = line;
    const availableBefore = previous?.entry.availableAfterMinor ?? 0n;
    const heldBefore = previous?.entry.heldAfterMinor ?? 0n;
    const data = event.data as { code?: string };
    return {
      position: formatPosition(entry),
      timeMs: event.timeMs,
      type: event.type,
      ...(data.code !== undefined && { code: data.code }),
      availableChange: signed(entry.availableAfterMinor - availableBefore, asset.decimals),
      heldChange: signed(entry.heldAfterMinor - heldBefore, asset.decimals),
      available: formatAmount(entry.availableAfterMinor, asset.decimals),
      held: formatAmount(entry.heldAfterMinor, asset.decimals),
      counterparty: counterpartyOf(event, account),
      transaction: event.transaction?.hash ?? null,
      reference: event.transaction?.reference ?? null,
      memo: event.transaction?.memo ?? null,
    };
  }

  /** An account's balances at a time: after the last event at or before it (zero before the first). */
  async balanceAt(viewer: Viewer, id: string, atMs: number) {
    const { account, asset } = this.account(viewer, id);
    const height = await this.store().heightAt(atMs);
    const [line] = height === 0 ? [] : await this.store().accountHistory(id, { toHeight: height, limit: 1 });
    return {
      ...accountView({ ...account, availableMinor: line?.entry.availableAfterMinor ?? 0n, heldMinor: line?.entry.heldAfterMinor ?? 0n }, asset),
      atMs, height, asOf: line === undefined ? null : formatPosition(line.entry),
    };
  }

  async transaction(viewer: Viewer, found: StoredTransaction | null, ref: string) {
    if (found === null) throw new LedgerError('transaction_not_found', `no transaction ${ref}`, 'hash');
    const state = this.state();
    if (!canSeeTransaction(viewer, found, state)) throw new LedgerError('forbidden', `${viewer.participant.id} is not a party to transaction ${ref}`, 'hash');
    return transactionView(found, viewOfTransaction(viewer, found, state));
  }

  /**
   * The one transaction the viewer may see whose hash starts with `prefix` (a short hash as
   * tables print it). Only transactions the viewer may see are counted, so an ambiguity
   * never reveals that others exist.
   */
  async transactionByHashPrefix(viewer: Viewer, prefix: string) {
    const state = this.state();
    const visible = (await this.store().transactionsByHashPrefix(prefix, HASH_PREFIX_CANDIDATES)).filter((tx) => canSeeTransaction(viewer, tx, state));
    if (visible.length === 0) throw new LedgerError('transaction_not_found', `no transaction of yours starts with ${prefix}`, 'hash_prefix');
    if (visible.length > 1) throw new LedgerError('invalid_request', `${visible.length} of your transactions start with ${prefix}: give more of the hash`, 'hash_prefix');
    return transactionView(visible[0]!, viewOfTransaction(viewer, visible[0]!, state));
  }

  async receipt(viewer: Viewer, hash: string) {
    await this.transaction(viewer, await this.store().transaction(hash), hash);
    const receipt = await this.receipts.receipt(hash);
    if (receipt === null) throw new LedgerError('transaction_not_found', `no transaction ${hash}`, 'hash');
    return receipt;
  }

  /** A block's transactions the viewer may see, each as it may see it. */
  async blockTransactions(viewer: Viewer, height: number) {
    if ((await this.store().block(height)) === null) throw new LedgerError('block_not_found', `no block ${height}`, 'height');
    const state = this.state();
    const transactions = await this.store().blockTransactions(height);
    return { complete: viewer.seesAll, data: transactions.filter((tx) => canSeeTransaction(viewer, tx, state)).map((tx) => transactionView(tx, viewOfTransaction(viewer, tx, state))) };
  }

  /** A block as a participant may see it: the signed header, and its own transactions, disclosed, with their proofs. */
  async partialBlock(viewer: Viewer, height: number) {
    const committed = await this.receipts.block(height);
    const state = this.state();
    const transactions = committed.transactions.filter((tx) => canSeeTransaction(viewer, tx, state)).map((tx) => {
      const { transactionProof, resultProof } = committed.receipt(tx.position);
      return { position: tx.position, disclosed: viewOfTransaction(viewer, tx, state), result: tx.result, signers: tx.signers, transactionProof, resultProof };
    });
    return { block: committed.block, transactions };
  }

  /** Events after a position that the viewer may see, of the given types; the scan is bounded, `next` resumes it. */
  async events(viewer: Viewer, after: string | undefined, types: ReadonlySet<string> | null, limit: number): Promise<FilteredPage<ReturnType<typeof eventView>>> {
    let cursor = position(after, 'after') ?? null;
    const data: ReturnType<typeof eventView>[] = [];
    let scanned = 0;
    for (;;) {
      const rows = await this.store().events(cursor, SCAN_BATCH);
      for (const event of rows) {
        scanned += 1;
        cursor = event;
        if ((types === null || types.has(event.type)) && canSeeEvent(viewer, event, this.state())) data.push(eventView(event));
        if (data.length === limit) return { data, has_more: true, next: formatPosition(event) };
      }
      if (rows.length < SCAN_BATCH) return { data, has_more: false, next: cursor === null ? null : formatPosition(cursor) };
      if (scanned >= SCAN_ROWS_MAX) return { data, has_more: true, next: formatPosition(cursor!) };
    }
  }
}

/** A hold is its payer's and its payee's owners' to see, and overseers'. */
function seesHold(viewer: Viewer, hold: Hold, state: LedgerState): boolean {
  return viewer.seesAll || [hold.payer, hold.payee].some((account) => actsAs(viewer, state.accounts.get(account)?.owner, state));
}
