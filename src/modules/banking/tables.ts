import type { Migration } from 'kysely';

/**
 * The banking module's tables: which client bank account is linked to which token account,
 * and every credit on the omnibus account it has seen, minted or set aside in suspense,
 * keyed by the bank's own reference for the entry (so a redelivered message finds it).
 */
export const BANKING_MIGRATIONS: Record<string, Migration> = {
  '0001_links_credits': {
    up: async (db) => {
      await db.schema.createTable('banking_links')
        .addColumn('bank_account', 'text', (c) => c.primaryKey())
        .addColumn('token_account', 'text', (c) => c.notNull())
        .addColumn('linked_by', 'text', (c) => c.notNull())
        .addColumn('linked_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('banking_credits')
        .addColumn('entry_key', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('omnibus_account', 'text', (c) => c.notNull())
        .addColumn('bank_account', 'text')
        .addColumn('sender_name', 'text')
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('end_to_end_id', 'text')
        .addColumn('booking_date', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('detail', 'text')
        .addColumn('token_account', 'text')
        .addColumn('transaction_id', 'text')
        .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('banking_credits_status').on('banking_credits').columns(['status', 'received_at_ms']).execute();
    },
  },
  '0002_payouts': {
    up: async (db) => {
      await db.schema.createTable('banking_payouts')
        .addColumn('position', 'text', (c) => c.primaryKey())
        .addColumn('transaction_hash', 'text')
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('payout_reference', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('recorded_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0003_payout_routing': {
    up: async (db) => {
      // Where a token account's redemptions are paid: the holder as its bank knows it.
      for (const column of ['holder_name', 'holder_town', 'holder_country', 'holder_agent_bic']) await db.schema.alterTable('banking_links').addColumn(column, 'text').execute();
      for (const column of ['message_id', 'end_to_end_id', 'problem', 'bank_status', 'return_transaction_id']) await db.schema.alterTable('banking_payouts').addColumn(column, 'text').execute();
    },
  },
  '0004_reconciliation': {
    up: async (db) => {
      // Every change of the token's supply, as the feed reports it: the supply at any moment is their sum up to it.
      await db.schema.createTable('banking_supply')
        .addColumn('position', 'text', (c) => c.primaryKey())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('transaction_id', 'text')
        .execute();
      await db.schema.createIndex('banking_supply_time').on('banking_supply').columns(['time_ms']).execute();
      await db.schema.createIndex('banking_supply_transaction').on('banking_supply').columns(['transaction_id']).execute();
      await db.schema.createTable('banking_statements')
        .addColumn('statement_id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('message_type', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('from_ms', 'bigint')
        .addColumn('cutoff_ms', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('opening_balance', 'text')
        .addColumn('closing_balance', 'text', (c) => c.notNull())
        .addColumn('entries', 'integer', (c) => c.notNull())
        .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('supply', 'text')
        .addColumn('credits_in_transit', 'text')
        .addColumn('payouts_in_transit', 'text')
        .addColumn('unexplained', 'text')
        .addColumn('breaks', 'integer')
        .addColumn('reconciled_at_ms', 'bigint')
        .addColumn('attestation_id', 'text')
        .addColumn('attestation_problem', 'text')
        .execute();
      await db.schema.createIndex('banking_statements_cutoff').on('banking_statements').columns(['cutoff_ms']).execute();
      await db.schema.createTable('banking_statement_entries')
        .addColumn('statement_id', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('entry_key', 'text')
        .addColumn('credit_debit', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('booking_date', 'text')
        .addColumn('end_to_end_id', 'text')
        .addColumn('settled', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('banking_statement_entries_pk', ['statement_id', 'n'])
        .execute();
      await db.schema.createIndex('banking_statement_entries_open').on('banking_statement_entries').columns(['settled', 'credit_debit']).execute();
      await db.schema.createTable('banking_breaks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('statement_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('amount', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('raised_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('resolved_by', 'text')
        .addColumn('resolution_note', 'text')
        .addColumn('resolved_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('banking_breaks_status').on('banking_breaks').columns(['status', 'raised_at_ms']).execute();
      await db.schema.alterTable('banking_payouts').addColumn('debited_in', 'text').execute();
      // A credit in suspense sent back to its sender with a pacs.004, and the statement that debited the return.
      for (const column of ['return_id', 'returned_in']) await db.schema.alterTable('banking_credits').addColumn(column, 'text').execute();
      // Reconciliation looks credits up by their mint (is a mint backed by a deposit?) and by end-to-end id (a return's debit).
      await db.schema.createIndex('banking_credits_transaction').on('banking_credits').columns(['transaction_id']).execute();
      await db.schema.createIndex('banking_credits_end_to_end').on('banking_credits').columns(['end_to_end_id']).execute();
      await db.schema.createIndex('banking_payouts_end_to_end').on('banking_payouts').columns(['end_to_end_id']).execute();
      // What the desk asks of the module's participant (a reconciliation again, a mint after linking, a return): done by the lease holder.
      await db.schema.createTable('banking_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('reason', 'text')
        .addColumn('note', 'text')
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('done_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('banking_requests_status').on('banking_requests').columns(['status', 'requested_at_ms']).execute();
    },
  },
  '0005_mints_by_deposit': {
    up: async (db) => {
      // Many credits are minted in one transaction: a mint is told apart by the deposit reference it carries (null in rows logged before).
      await db.schema.alterTable('banking_supply').addColumn('deposit_reference', 'text').execute();
      // A credit whose mint a policy held back for approval: the proposal it waits in.
      await db.schema.alterTable('banking_credits').addColumn('proposal_id', 'text').execute();
    },
  },
  '0006_supply_checkpoints': {
    up: async (db) => {
      // The supply (minor units) at each statement's cut-off: the next statement sums only the changes since (see supply.ts).
      await db.schema.createTable('banking_supply_checkpoints')
        .addColumn('cutoff_ms', 'bigint', (c) => c.primaryKey())
        .addColumn('supply_minor', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0007_statement_pages': {
    up: async (db) => {
      // A statement the bank splits over several messages: each page as it came, until the last and all before it are in.
      await db.schema.createTable('banking_statement_pages')
        .addColumn('statement_id', 'text', (c) => c.notNull())
        .addColumn('page', 'integer', (c) => c.notNull())
        .addColumn('last', 'integer', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('message_type', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('from_ms', 'bigint')
        .addColumn('cutoff_ms', 'bigint', (c) => c.notNull())
        .addColumn('opening_balance', 'text')
        .addColumn('closing_balance', 'text')
        .addColumn('entries', 'integer', (c) => c.notNull())
        .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('banking_statement_pages_pk', ['statement_id', 'page'])
        .execute();
    },
  },
};

/** A committed redemption of the module's token: money the bank owes back into the client's books. */
export interface PayoutRow {
  /** The redemption event's position in the feed: one payout per event, whatever the redelivery. */
  position: string;
  transaction_hash: string | null;
  account: string;
  asset: string;
  amount: string;
  payout_reference: string;
  /**
   * Due until a pacs.008 or pain.001 goes out for it (sent); settled or rejected as the
   * bank's status report says (a rejection re-credits the tokens); or unroutable.
   */
  status: 'due' | 'sent' | 'settled' | 'rejected' | 'unroutable';
  recorded_at_ms: number;
  message_id: string | null;
  end_to_end_id: string | null;
  problem: string | null;
  /** The last status the bank reported (ACSP, ACSC, RJCT, …). */
  bank_status: string | null;
  /** The mint that gave a rejected payout's tokens back. */
  return_transaction_id: string | null;
  /** The statement in which the bank debited the omnibus account for it. */
  debited_in?: string | null;
}

export interface LinkRow {
  bank_account: string;
  token_account: string;
  linked_by: string;
  linked_at_ms: number;
  /** The account holder as its bank knows it, for paying redemptions back (absent: deposits only). */
  holder_name: string | null;
  holder_town: string | null;
  holder_country: string | null;
  holder_agent_bic: string | null;
}

/**
 * Minting (recorded with the id of the transaction that mints it, before it is sent),
 * held (a policy holds the mint back until its approvers approve it), minted, or set
 * aside with the reason it was not, until an operator mints it after linking or returns
 * it to its sender.
 */
export type CreditStatus = 'minting' | 'held' | 'minted' | 'suspense' | 'returned';

export interface CreditRow {
  entry_key: string;
  message_id: string;
  omnibus_account: string;
  bank_account: string | null;
  sender_name: string | null;
  amount: string;
  currency: string;
  end_to_end_id: string | null;
  booking_date: string | null;
  status: CreditStatus;
  reason: string | null;
  detail: string | null;
  token_account: string | null;
  transaction_id: string | null;
  received_at_ms: number;
  /** The proposal a held mint waits in. */
  proposal_id?: string | null;
  /** The pacs.004 that sent a credit in suspense back, and the statement that debited it. */
  return_id?: string | null;
  returned_in?: string | null;
}

/** A desk request, carried out by the module's participant on its next round. */
export interface RequestRow {
  id: string;
  kind: 'reconcile' | 'retry_credit' | 'return_credit';
  subject: string | null;
  reason: string | null;
  note: string | null;
  requested_by: string;
  requested_at_ms: number;
  status: 'pending' | 'done' | 'failed';
  outcome: string | null;
  done_at_ms: number | null;
}

/** A change of the token's supply: a mint or a redemption, at its block's time. */
export interface SupplyRow {
  position: string;
  time_ms: number;
  kind: 'issued' | 'redeemed';
  amount: string;
  transaction_id: string | null;
  /** A mint's reference to the deposit behind it (for the module's own mints, derived from the bank's reference of the entry). */
  deposit_reference: string | null;
}

export interface StatementRow {
  statement_id: string;
  message_id: string;
  message_type: string;
  hash: string;
  from_ms: number | null;
  cutoff_ms: number;
  currency: string;
  opening_balance: string | null;
  closing_balance: string;
  entries: number;
  received_at_ms: number;
  supply: string | null;
  credits_in_transit: string | null;
  payouts_in_transit: string | null;
  unexplained: string | null;
  breaks: number | null;
  reconciled_at_ms: number | null;
  attestation_id: string | null;
  attestation_problem: string | null;
}

/** One page of a statement the bank split over several messages. */
export interface StatementPageRow {
  statement_id: string;
  page: number;
  last: number;
  message_id: string;
  message_type: string;
  hash: string;
  from_ms: number | null;
  cutoff_ms: number;
  opening_balance: string | null;
  closing_balance: string | null;
  entries: number;
  received_at_ms: number;
}

/** A booked entry of a statement: settled once its counterpart on the ledger is there by a statement's cut-off. */
export interface StatementEntryRow {
  statement_id: string;
  n: number;
  entry_key: string | null;
  credit_debit: 'credit' | 'debit';
  amount: string;
  booking_date: string | null;
  end_to_end_id: string | null;
  settled: number;
}

export const BREAK_KINDS = {
  unmatched_bank_entry: 'a booked entry of the omnibus account with nothing on the ledger for it (a credit not minted, a debit that pays no redemption)',
  unmatched_ledger_entry: 'a mint no bank credit backs, or a redemption the bank has not paid out in time',
  amount_mismatch: 'the bank booked another amount than the ledger moved',
  date_mismatch: 'the statement books an entry on another day than the bank notified',
  balance_difference: "the statement's balance is not the supply plus what is in transit (or its opening balance is not the last closing one)",
} as const;
export type BreakKind = keyof typeof BREAK_KINDS;

export interface BreakRow {
  id: string;
  statement_id: string;
  kind: BreakKind;
  subject: string;
  amount: string | null;
  detail: string;
  raised_at_ms: number;
  status: 'open' | 'resolved';
  resolved_by: string | null;
  resolution_note: string | null;
  resolved_at_ms: number | null;
}
