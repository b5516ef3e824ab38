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

/** Minted, or set aside with the reason it was not (an operator resolves it). */
export type CreditStatus = 'minted' | 'suspense';

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
}
