import { createHash } from 'node:crypto';
import { formatAmount, parseAmount, type Operation } from '../../core/index.js';
import { DepositumApiError, type AssetSupply, type DepositumClient } from '../../sdk/index.js';
import { chunksOf } from '../kit/bulk.js';
import type { AnyDatabase } from '../kit/database.js';
import type { BankLink } from './link.js';
import { buildPacs004, MessageError, type BankReport, type Entry, type SchemaDirectory } from './iso20022/index.js';
import { submitOnce } from '../kit/submit-once.js';
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
/** Mints decided at the same time: enough to fill the sequencer's blocks, few enough for the node's admission queue. */
const MINTS_IN_FLIGHT = 256;
/** Causes the desk can fix (a link, an allowance, the ledger's refusal): the credit is then minted. The others are returned to the sender. */
const RETRYABLE = ['unlinked_account', 'over_allowance', 'refused'] as const satisfies readonly SuspenseReason[];

export type CreditOutcome =
  | { readonly entry: string; readonly outcome: 'minted'; readonly transactionId: string; readonly tokenAccount: string; readonly amount: string }
  | { readonly entry: string; readonly outcome: 'duplicate'; readonly status: CreditRow['status'] }
  | { readonly entry: string; readonly outcome: 'suspense'; readonly reason: SuspenseReason; readonly detail?: string }
  | { readonly entry: string; readonly outcome: 'ignored'; readonly why: string };

export interface IntakeSettings {
  /** The issuer's omnibus (token reserve) account at the bank, as the bank's messages name it. */
  readonly omnibusAccount: string;
  /** The deposit token minted against it. */
  readonly asset: string;
}

/** A ledger reference for the bank entry: the bank's own if it fits ISO 20022's reference type, else a digest of it. */
const REFERENCE = /^(?=.{1,35}$)(?!.*\/\/)[A-Za-z0-9?:().,'+-](?:[A-Za-z0-9/?:().,'+ -]*[A-Za-z0-9?:().,'+-])?$/;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The mint of a bank entry: derived from the bank's reference for it, so it happens once. */
function creditTransactionId(entryKey: string): string {
  return `bank-credit:${digest(entryKey).slice(0, 40)}`;
}

/**
 * Deposit → mint. Each booked credit on the omnibus account, from a client's bank account
 * linked to a token account, mints its amount there, exactly once: the mint's transaction
 * id is derived from the bank's reference for the entry, so a redelivered or re-sent
 * notification finds the first mint (the ledger answers it, or its record here does).
 * Anything else (an unlinked sender, another currency, over the allowance, refused) is set
 * aside in suspense with the reason, never minted silently.
 */
export class CreditIntake {
  private asset: AssetSupply | undefined;

  constructor(
    private readonly db: AnyDatabase,
    private readonly client: DepositumClient,
    private readonly settings: IntakeSettings,
    private readonly nowMs: () => number,
  ) {}

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
   * Takes the credits of several camt.054 at once, in waves of MINTS_IN_FLIGHT decided
   * concurrently (the sequencer puts many mints in a block). A bank entry that two of the
   * messages carry (a redelivery in the same batch) is decided once, then found as a
   * duplicate: never two submissions of one mint at the same time.
   */
  async takeAll(messages: readonly BankReport[]): Promise<CreditOutcome[]> {
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
    for (let i = 0; i < firsts.length; i += MINTS_IN_FLIGHT) outcomes.push(...await this.takeWave(firsts.slice(i, i + MINTS_IN_FLIGHT)));
    for (const item of again) outcomes.push(...await this.takeWave([item]));
    return outcomes;
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
   * sending account, raised the allowance): minted exactly once, under the same id as it
   * would have been at first, or left in suspense with the new reason.
   */
  async retry(entryKey: string, requestId: string): Promise<CreditOutcome> {
    const row = await this.suspended(entryKey);
    if (!(RETRYABLE as readonly string[]).includes(row.reason ?? '')) throw new MessageError(`credit ${entryKey} is in suspense as ${row.reason ?? 'unknown'}: minting it again cannot help; return it to its sender`);
    // A refused mint can be tried again under a new id; one that committed (a retry that crashed before it was recorded) must not be.
    for (const earlier of [creditTransactionId(entryKey), row.transaction_id]) {
      if (earlier === null || !(await this.committed(earlier))) continue;
      await this.db.updateTable('banking_credits').set({ status: 'minted', reason: null, detail: null, transaction_id: earlier }).where('entry_key', '=', entryKey).execute();
      return { entry: entryKey, outcome: 'duplicate', status: 'minted' };
    }
    const transactionId = `bank-credit:${digest(`${entryKey}/retry/${requestId}`).slice(0, 40)}`;
    await this.db.updateTable('banking_credits').set({ transaction_id: transactionId }).where('entry_key', '=', entryKey).execute();
    const entry: Entry = { amount: row.amount, currency: row.currency, creditDebit: 'credit', reversal: false, status: 'BOOK', transactions: [] };
    const outcome = await this.decide(entry, row, entryKey.slice(this.settings.omnibusAccount.length + 1), transactionId);
    const change = outcome.outcome === 'minted'
      ? { status: 'minted' as const, reason: null, detail: null, token_account: outcome.tokenAccount, transaction_id: outcome.transactionId }
      : { reason: outcome.reason, detail: outcome.detail ?? null };
    await this.db.updateTable('banking_credits').set(change).where('entry_key', '=', entryKey).where('status', '=', 'suspense').execute();
    return outcome;
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
    const returnId = `RTN-${digest(`return/${entryKey}`).slice(0, 31)}`;
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

  /** What became of one entry and the record to keep of it (none for a duplicate or an entry that is not a booked credit). */
  private async takeEntry(message: BankReport, entry: Entry, position: string, seen: ReadonlyMap<string, CreditRow['status']>): Promise<{ outcome: CreditOutcome; row?: CreditRow }> {
    if (entry.creditDebit !== 'credit') return { outcome: { entry: position, outcome: 'ignored', why: 'a debit (a payout): reconciled, not minted' } };
    if (entry.status !== 'BOOK') return { outcome: { entry: position, outcome: 'ignored', why: `status ${entry.status}: minted once booked` } };
    const reference = entry.accountServicerReference ?? entry.entryReference;
    const key = this.keyOf(entry, position);
    const status = seen.get(key);
    if (status !== undefined) return { outcome: { entry: key, outcome: 'duplicate', status } };
    const tx = entry.transactions[0];
    const base: CreditRow = {
      entry_key: key, message_id: message.messageId, omnibus_account: this.settings.omnibusAccount, bank_account: tx?.debtor.account ?? null, sender_name: tx?.debtor.name ?? null,
      amount: entry.amount, currency: entry.currency, end_to_end_id: tx?.endToEndId ?? null, booking_date: entry.bookingDate ?? null,
      status: 'suspense', reason: null, detail: null, token_account: null, transaction_id: null, received_at_ms: this.nowMs(),
    };
    const outcome = await this.decide(entry, base, reference);
    const row: CreditRow = outcome.outcome === 'minted'
      ? { ...base, status: 'minted', token_account: outcome.tokenAccount, transaction_id: outcome.transactionId }
      : { ...base, reason: outcome.reason, detail: outcome.detail ?? null };
    return { outcome, row };
  }

  /**
   * A wave of entries: the ones recorded already found in one query, the others decided
   * concurrently, and their records written in one transaction (after their mints: a crash
   * in between finds the mints again, by their ids).
   */
  private async takeWave(items: readonly { message: BankReport; entry: Entry; position: string }[]): Promise<CreditOutcome[]> {
    const keys = items.map((item) => this.keyOf(item.entry, item.position));
    const seen = new Map<string, CreditRow['status']>();
    for (const chunk of chunksOf(keys)) {
      const rows = await this.db.selectFrom('banking_credits').select(['entry_key', 'status']).where('entry_key', 'in', chunk).execute() as { entry_key: string; status: CreditRow['status'] }[];
      for (const row of rows) seen.set(row.entry_key, row.status);
    }
    const decided = await Promise.all(items.map((item) => this.takeEntry(item.message, item.entry, item.position, seen)));
    const rows = decided.flatMap((d) => (d.row === undefined ? [] : [d.row]));
    if (rows.length > 0) {
      await this.db.transaction().execute(async (trx) => {
        for (const chunk of chunksOf(rows)) await trx.insertInto('banking_credits').values(chunk).onConflict((oc) => oc.column('entry_key').doNothing()).execute();
      });
    }
    return decided.map((d) => d.outcome);
  }

  private async decide(entry: Entry, row: CreditRow, reference: string | undefined, transactionId = creditTransactionId(row.entry_key)): Promise<Extract<CreditOutcome, { outcome: 'minted' | 'suspense' }>> {
    const key = row.entry_key;
    const aside = (reason: SuspenseReason, detail?: string) => ({ entry: key, outcome: 'suspense' as const, reason, ...(detail !== undefined && { detail }) });
    if (reference === undefined) return aside('no_bank_reference');
    if (entry.reversal) return aside('reversal');
    const asset = await this.tokenAsset();
    if (entry.currency !== asset.code) return aside('wrong_currency', `${entry.currency}, the token is ${asset.code}`);
    if (row.bank_account === null) return aside('unknown_sender');
    const link = await this.db.selectFrom('banking_links').select('token_account').where('bank_account', '=', row.bank_account).executeTakeFirst() as { token_account: string } | undefined;
    if (link === undefined) return aside('unlinked_account', row.bank_account);
    const parsed = parseAmount(entry.amount, asset.decimals);
    if (!parsed.ok) return aside('amount_too_precise', `${entry.amount} to ${asset.decimals} decimals`);
    const amount = formatAmount(parsed.minor, asset.decimals);
    const op: Operation = { type: 'issue', account: link.token_account, amount, depositReference: REFERENCE.test(reference) ? reference : digest(reference).slice(0, 32) };
    const result = await submitOnce(this.client, op, transactionId, `camt.054 entry ${reference}${row.end_to_end_id === null ? '' : `, end-to-end ${row.end_to_end_id}`}`);
    if (result.status === 'committed') return { entry: key, outcome: 'minted', transactionId, tokenAccount: link.token_account, amount };
    return result.code === 'allowance_exceeded' ? aside('over_allowance', result.message) : aside('refused', `${result.code}: ${result.message}`);
  }

  private async tokenAsset(): Promise<AssetSupply> {
    this.asset ??= await this.client.asset(this.settings.asset);
    return this.asset;
  }
}
