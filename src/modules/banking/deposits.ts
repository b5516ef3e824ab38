import { sha256Hex } from '../../chain/index.js';
import { formatAmount, OPERATIONS_MAX, parseAmount, type Operation } from '../../core/index.js';
import { DepositumApiError, type AssetSupply, type DepositumClient } from '../../sdk/index.js';
import { chunksOf } from '../kit/bulk.js';
import type { AnyDatabase } from '../kit/database.js';
import type { BankLink } from './link.js';
import { buildPacs004, MessageError, type BankReport, type Entry, type SchemaDirectory } from './iso20022/index.js';
import { CreditMinting, creditsTransactionId, creditTransactionId, type MintOutcome } from './minting.js';
import type { CreditRow } from './tables.js';

/** Why a credit on the omnibus account was set aside instead of minted. */
export const SUSPENSE_REASONS = {
  no_bank_reference: 'the entry carries neither the bank\'s reference (AcctSvcrRef) nor an entry reference: it cannot be told apart from a redelivery',
  reversal: 'a reversal: it undoes an earlier entry and is not a deposit',
  wrong_currency: 'the credit is not in the token\'s currency',
  unknown_sender: 'the entry does not name the account the money came from',
  unlinked_account: 'the sending account is not linked to a token account',
  amount_too_precise: 'the amount has more decimals than the token',
  over_allowance: 'minting it would pass the minter\'s remaining allowance',
  refused: 'the ledger refused the mint (the detail says why)',
} as const;
export type SuspenseReason = keyof typeof SUSPENSE_REASONS;
/** Credits minted in one transaction (each mint applies or fails on its own): one signature, one request and one chain entry for them all. */
const MINTS_PER_TRANSACTION = OPERATIONS_MAX;
/** Causes the desk can fix (a link, an allowance, the ledger's refusal): the credit is then minted. The others are returned to the sender. */
const RETRYABLE = ['unlinked_account', 'over_allowance', 'refused'] as const satisfies readonly SuspenseReason[];

export type CreditOutcome =
  | { readonly entry: string; readonly outcome: 'minted'; readonly transactionId: string; readonly tokenAccount: string; readonly amount: string }
  | { readonly entry: string; readonly outcome: 'held'; readonly proposal: string }
  | { readonly entry: string; readonly outcome: 'duplicate'; readonly status: CreditRow['status'] }
  | { readonly entry: string; readonly outcome: 'suspense'; readonly reason: SuspenseReason; readonly detail?: string }
  | { readonly entry: string; readonly outcome: 'ignored'; readonly why: string };

export interface IntakeSettings {
  /** The issuer's omnibus (token reserve) account at the bank, as the bank's messages name it. */
  readonly omnibusAccount: string;
  /** The deposit token minted against it. */
  readonly asset: string;
}

/** A credit decided here: set aside with the reason, or to be minted to a token account. */
type Decision = Extract<CreditOutcome, { outcome: 'suspense' }> | { readonly entry: string; readonly outcome: 'mint'; readonly tokenAccount: string; readonly amount: string };

/**
 * Deposit → mint. Each booked credit on the omnibus account, from a client's bank account
 * linked to a token account, mints its amount there, exactly once: the credits of a wave
 * are recorded here with the id of the transaction that mints them (derived from their
 * bank references) before it is sent, so a redelivered or re-sent notification finds
 * the record, and a crash in between sends the same id again (see CreditMinting).
 * Anything else (an unlinked sender, another currency, over the allowance, refused) is set
 * aside in suspense with the reason, never minted silently.
 */
export class CreditIntake {
  private asset: AssetSupply | undefined;
  private readonly minting: CreditMinting;

  constructor(
    private readonly db: AnyDatabase,
    private readonly client: DepositumClient,
    private readonly settings: IntakeSettings,
    private readonly nowMs: () => number,
    /** Told what became of the credits a stopped module left minting, once finished here (they belong to no message taken now). */
    private readonly onResumed: (outcomes: ReadonlyMap<string, MintOutcome>) => void = () => undefined,
  ) {
    this.minting = new CreditMinting(db, client, () => this.tokenAsset(), settings.omnibusAccount);
  }

  /**
   * Links a client's account at the bank to its token account (a later link of the same
   * bank account replaces it). The issuer does not see its clients' accounts: whether it
   * may mint there is asked of the ledger by simulating a mint of one minor unit.
   */
  async link(bankAccount: string, tokenAccount: string, by: string): Promise<void> {
    const asset = await this.tokenAsset();
    const probe: Operation = { type: 'issue', account: tokenAccount, amount: formatAmount(1n, asset.decimals), depositReference: 'LINK-CHECK' };
    const simulated = await this.client.simulate([probe]);
    if (simulated.result.status !== 'committed') throw new MessageError(`cannot mint ${asset.id} to ${tokenAccount}: ${simulated.explanations[0]?.message ?? simulated.result.code ?? 'refused'}`);
    const row = { bank_account: bankAccount, token_account: tokenAccount, linked_by: by, linked_at_ms: this.nowMs() };
    await this.db.insertInto('banking_links').values(row).onConflict((oc) => oc.column('bank_account').doUpdateSet(row)).execute();
  }

  /** Takes a camt.054's credits on the omnibus account; what became of each entry. */
  async take(message: BankReport): Promise<CreditOutcome[]> {
    return this.takeAll([message]);
  }

  /**
   * Takes the credits of several camt.054 at once, in waves of MINTS_PER_TRANSACTION minted
   * in one transaction, after finishing any mint a stopped module left unrecorded. A bank
   * entry that two of the messages carry (a redelivery in the same batch) is decided once,
   * then found as a duplicate: never two submissions of one mint at the same time.
   */
  async takeAll(messages: readonly BankReport[]): Promise<CreditOutcome[]> {
    await this.resume();
    const items: { message: BankReport; entry: Entry; position: string }[] = [];
    for (const message of messages) {
      if (message.messageType !== 'camt.054') throw new MessageError(`a ${message.messageType} does not mint: deposits are taken from camt.054 credit notifications`);
      for (const [r, report] of message.reports.entries()) {
        if (report.account.id !== this.settings.omnibusAccount) continue;
        for (const [n, entry] of report.entries.entries()) items.push({ message, entry, position: `${message.messageId}/${r}/${n}` });
      }
    }
    const keys = new Set<string>();
    const firsts: typeof items = [];
    const again: typeof items = [];
    for (const item of items) {
      const key = this.keyOf(item.entry, item.position);
      (keys.has(key) ? again : firsts).push(item);
      keys.add(key);
    }
    const outcomes: CreditOutcome[] = [];
    for (const wave of chunksOf(firsts, MINTS_PER_TRANSACTION)) outcomes.push(...await this.takeWave(wave));
    for (const item of again) outcomes.push(...await this.takeWave([item]));
    return outcomes;
  }

  /** Finishes the mints a stopped module left unrecorded, and says what became of them. */
  private async resume(): Promise<void> {
    const outcomes = await this.minting.resume();
    if (outcomes.size > 0) this.onResumed(outcomes);
  }

  /** The module's key for a bank entry: the omnibus account and the bank's reference for it. */
  private keyOf(entry: Entry, position: string): string {
    const reference = entry.accountServicerReference ?? entry.entryReference;
    return `${this.settings.omnibusAccount}/${reference ?? `unreferenced/${position}`}`;
  }

  /** Credits set aside, oldest first. */
  async suspense(): Promise<CreditRow[]> {
    return this.db.selectFrom('banking_credits').selectAll().where('status', '=', 'suspense').orderBy('received_at_ms').orderBy('entry_key').execute() as Promise<CreditRow[]>;
  }

  /**
   * Decides a credit in suspense again, once the desk has fixed its cause (linked the
   * sending account, raised the allowance): minted exactly once, under an id derived from
   * the request (recorded before the mint is sent), or left in suspense with the new reason.
   */
  async retry(entryKey: string, requestId: string): Promise<CreditOutcome> {
    await this.resume();
    const row = await this.suspended(entryKey);
    if (!(RETRYABLE as readonly string[]).includes(row.reason ?? '')) throw new MessageError(`credit ${entryKey} is in suspense as ${row.reason ?? 'unknown'}: minting it again cannot help; return it to its sender`);
    // A mint that committed before it was recorded (by an earlier version, which recorded after minting) must not be minted again.
    // A credit once held for approval is not: its transaction committed without minting it.
    for (const earlier of row.proposal_id == null ? [creditTransactionId(entryKey), row.transaction_id] : []) {
      if (earlier === null || !(await this.committed(earlier))) continue;
      await this.db.updateTable('banking_credits').set({ status: 'minted', reason: null, detail: null, transaction_id: earlier }).where('entry_key', '=', entryKey).execute();
      return { entry: entryKey, outcome: 'duplicate', status: 'minted' };
    }
    const entry: Entry = { amount: row.amount, currency: row.currency, creditDebit: 'credit', reversal: false, status: 'BOOK', transactions: [] };
    const links = await this.linksOf(row.bank_account === null ? [] : [row.bank_account]);
    const decision = this.decide(entry, row, entryKey.slice(this.settings.omnibusAccount.length + 1), links, await this.tokenAsset());
    if (decision.outcome === 'suspense') {
      await this.db.updateTable('banking_credits').set({ reason: decision.reason, detail: decision.detail ?? null }).where('entry_key', '=', entryKey).where('status', '=', 'suspense').execute();
      return decision;
    }
    const transactionId = `bank-credit:${sha256Hex(`${entryKey}/retry/${requestId}`).slice(0, 40)}`;
    await this.db.updateTable('banking_credits').set({ status: 'minting', reason: null, detail: null, token_account: decision.tokenAccount, transaction_id: transactionId })
      .where('entry_key', '=', entryKey).where('status', '=', 'suspense').execute();
    return this.outcomeOf(decision, (await this.minting.mint(transactionId)).get(entryKey));
  }

  private async committed(transactionId: string): Promise<boolean> {
    try {
      return (await this.client.transactionById(this.client.participant, transactionId)).result.status === 'committed';
    } catch (error) {
      if (error instanceof DepositumApiError && error.status === 404) return false;
      throw error;
    }
  }

  /**
   * Sends a credit in suspense back to its sender: a pacs.004 (validated against its XSD
   * when the deployment has it) in out/, its return id derived from the entry, so a
   * request repeated after a crash writes the same return. The reason is an ISO code
   * (AC01 wrong account, AC04 closed, AG01 forbidden, AM09 wrong amount, CURR, FOCR, …).
   */
  async returnCredit(entryKey: string, reason: string, info: string | undefined, outbox: BankLink, schemas: SchemaDirectory | undefined): Promise<string> {
    const row = await this.suspended(entryKey);
    const returnId = `RTN-${sha256Hex(`return/${entryKey}`).slice(0, 31)}`;
    const createdAt = new Date(this.nowMs()).toISOString();
    const xml = buildPacs004({ messageId: returnId, createdAt }, [{
      returnId, original: { messageId: row.message_id, messageType: 'camt.054', ...(row.end_to_end_id !== null && { endToEndId: row.end_to_end_id }) },
      amount: row.amount, currency: row.currency, settlementDate: createdAt.slice(0, 10), reason, ...(info !== undefined && { info }),
    }], { settlementMethod: 'INDA' });
    if (schemas?.has('pacs.004.001.10') === true) {
      const verdict = await schemas.validate(xml, 'pacs.004.001.10');
      if (!verdict.valid) throw new MessageError(`the pacs.004 built for ${entryKey} fails its XSD: ${verdict.errors.slice(0, 3).join('; ')}`);
    }
    await outbox.send(returnId, xml);
    await this.db.updateTable('banking_credits').set({ status: 'returned', return_id: returnId, detail: `returned to the sender (${reason}${info === undefined ? '' : `: ${info}`})` }).where('entry_key', '=', entryKey).where('status', '=', 'suspense').execute();
    return returnId;
  }

  private async suspended(entryKey: string): Promise<CreditRow> {
    const row = await this.db.selectFrom('banking_credits').selectAll().where('entry_key', '=', entryKey).executeTakeFirst() as CreditRow | undefined;
    if (row === undefined) throw new MessageError(`no credit ${entryKey}`);
    if (row.status !== 'suspense') throw new MessageError(`credit ${entryKey} is ${row.status}, not in suspense`);
    return row;
  }

  /** The token accounts the given bank accounts are linked to. */
  private async linksOf(bankAccounts: readonly string[]): Promise<Map<string, string>> {
    const links = new Map<string, string>();
    for (const chunk of chunksOf([...new Set(bankAccounts)])) {
      const rows = await this.db.selectFrom('banking_links').select(['bank_account', 'token_account']).where('bank_account', 'in', chunk).execute() as { bank_account: string; token_account: string }[];
      for (const row of rows) links.set(row.bank_account, row.token_account);
    }
    return links;
  }

  /** What became of a credit decided for minting. */
  private outcomeOf(decision: Extract<Decision, { outcome: 'mint' }>, minted: MintOutcome | undefined): CreditOutcome {
    const { entry, tokenAccount, amount } = decision;
    if (minted === undefined) return { entry, outcome: 'duplicate', status: 'minting' }; // recorded meanwhile by another taker
    if (minted.outcome === 'held') return { entry, outcome: 'held', proposal: minted.proposal };
    return minted.outcome === 'minted' ? { entry, outcome: 'minted', transactionId: minted.transactionId, tokenAccount, amount } : { entry, outcome: 'suspense', reason: minted.reason, detail: minted.detail };
  }

  /** What is decided of one entry and the record to keep of it (none for a duplicate or an entry that is not a booked credit). */
  private takeEntry(message: BankReport, item: { entry: Entry; position: string }, seen: ReadonlyMap<string, CreditRow['status']>, links: ReadonlyMap<string, string>, asset: AssetSupply): { outcome: CreditOutcome | Decision; row?: CreditRow } {
    const { entry, position } = item;
    if (entry.creditDebit !== 'credit') return { outcome: { entry: position, outcome: 'ignored', why: 'a debit (a payout): reconciled, not minted' } };
    if (entry.status !== 'BOOK') return { outcome: { entry: position, outcome: 'ignored', why: `status ${entry.status}: minted once booked` } };
    const key = this.keyOf(entry, position);
    const status = seen.get(key);
    if (status !== undefined) return { outcome: { entry: key, outcome: 'duplicate', status } };
    const tx = entry.transactions[0];
    const base: CreditRow = {
      entry_key: key, message_id: message.messageId, omnibus_account: this.settings.omnibusAccount, bank_account: tx?.debtor.account ?? null, sender_name: tx?.debtor.name ?? null,
      amount: entry.amount, currency: entry.currency, end_to_end_id: tx?.endToEndId ?? null, booking_date: entry.bookingDate ?? null,
      status: 'suspense', reason: null, detail: null, token_account: null, transaction_id: null, received_at_ms: this.nowMs(),
    };
    const decision = this.decide(entry, base, entry.accountServicerReference ?? entry.entryReference, links, asset);
    const row: CreditRow = decision.outcome === 'mint'
      ? { ...base, status: 'minting', token_account: decision.tokenAccount }
      : { ...base, reason: decision.reason, detail: decision.detail ?? null };
    return { outcome: decision, row };
  }

  /**
   * A wave of entries: the ones recorded already found in one query, the others decided,
   * and their records written in one database transaction, those to mint with the id of
   * the one ledger transaction that then mints them all (see CreditMinting).
   */
  private async takeWave(items: readonly { message: BankReport; entry: Entry; position: string }[]): Promise<CreditOutcome[]> {
    const seen = new Map<string, CreditRow['status']>();
    for (const chunk of chunksOf(items.map((item) => this.keyOf(item.entry, item.position)))) {
      const rows = await this.db.selectFrom('banking_credits').select(['entry_key', 'status']).where('entry_key', 'in', chunk).execute() as { entry_key: string; status: CreditRow['status'] }[];
      for (const row of rows) seen.set(row.entry_key, row.status);
    }
    const links = await this.linksOf(items.flatMap((item) => item.entry.transactions[0]?.debtor.account ?? []));
    const asset = await this.tokenAsset();
    const decided = items.map((item) => this.takeEntry(item.message, item, seen, links, asset));
    const rows = decided.flatMap((d) => (d.row === undefined ? [] : [d.row]));
    const minting = rows.filter((row) => row.status === 'minting');
    const transactionId = minting.length === 1 ? creditTransactionId(minting[0]!.entry_key) : creditsTransactionId(minting.map((row) => row.entry_key));
    for (const row of minting) row.transaction_id = transactionId;
    if (rows.length > 0) {
      await this.db.transaction().execute(async (trx) => {
        for (const chunk of chunksOf(rows)) await trx.insertInto('banking_credits').values(chunk).onConflict((oc) => oc.column('entry_key').doNothing()).execute();
      });
    }
    const minted = minting.length === 0 ? new Map<string, MintOutcome>() : await this.minting.mint(transactionId);
    return decided.map(({ outcome }) => (outcome.outcome === 'mint' ? this.outcomeOf(outcome, minted.get(outcome.entry)) : outcome));
  }

  /** Whether a credit can be minted, and where: the checks that need no ledger (the ledger's own come with the mint). */
  private decide(entry: Entry, row: CreditRow, reference: string | undefined, links: ReadonlyMap<string, string>, asset: AssetSupply): Decision {
    const key = row.entry_key;
    const aside = (reason: SuspenseReason, detail?: string): Decision => ({ entry: key, outcome: 'suspense', reason, ...(detail !== undefined && { detail }) });
    if (reference === undefined) return aside('no_bank_reference');
    if (entry.reversal) return aside('reversal');
    if (entry.currency !== asset.code) return aside('wrong_currency', `${entry.currency}, the token is ${asset.code}`);
    if (row.bank_account === null) return aside('unknown_sender');
    const tokenAccount = links.get(row.bank_account);
    if (tokenAccount === undefined) return aside('unlinked_account', row.bank_account);
    const parsed = parseAmount(entry.amount, asset.decimals);
    if (!parsed.ok) return aside('amount_too_precise', `${entry.amount} to ${asset.decimals} decimals`);
    return { entry: key, outcome: 'mint', tokenAccount, amount: formatAmount(parsed.minor, asset.decimals) };
  }

  private async tokenAsset(): Promise<AssetSupply> {
    this.asset ??= await this.client.asset(this.settings.asset);
    return this.asset;
  }
}
