import { ChainDataError, type SignedBlock } from '../chain/index.js';
import type { StoredTransaction } from './types.js';

/**
 * A transaction's place as one integer, height · 2^20 + position: rows are appended in
 * key order, which is the cheapest insert a B-tree has. Blocks hold fewer than 2^20
 * transactions (the sequencer's limit is far lower).
 */
export const POSITIONS_PER_BLOCK = 2 ** 20;
export const seqOf = (height: number, position: number): number => height * POSITIONS_PER_BLOCK + position;
/** How many blocks a reader fetches at a time. */
export const BLOCKS_PAGE = 256;

/** A block as both stores keep it. */
export interface BlockRow { height: number; hash: string; header: string; signatures: string }
/** A transaction as both stores keep it. */
export interface TransactionRow { seq: number; hash: string; sender: string; client_id: string; valid_until_ms: number; envelope: string; result: string; signers: string; accounts: string; parties: string }

export function decodeBlock(row: BlockRow): SignedBlock {
  try {
    return { header: JSON.parse(row.header) as SignedBlock['header'], hash: row.hash, signatures: JSON.parse(row.signatures) as SignedBlock['signatures'] };
  } catch (error) {
    throw new ChainDataError(row.height, undefined, `stored block cannot be decoded: ${(error as Error).message}`);
  }
}

export function decodeTransaction(row: TransactionRow): StoredTransaction {
  const height = Math.floor(row.seq / POSITIONS_PER_BLOCK);
  const position = row.seq % POSITIONS_PER_BLOCK;
  let decoded: StoredTransaction;
  try {
    decoded = {
      hash: row.hash,
      height,
      position,
      envelope: JSON.parse(row.envelope) as StoredTransaction['envelope'],
      result: JSON.parse(row.result) as StoredTransaction['result'],
      signers: JSON.parse(row.signers) as string[],
      accounts: JSON.parse(row.accounts) as string[],
      parties: JSON.parse(row.parties) as string[],
    };
  } catch (error) {
    throw new ChainDataError(height, position, `stored transaction cannot be decoded: ${(error as Error).message}`);
  }
  // The sender, id and validity columns index the envelope; they must say what it says.
  const body = decoded.envelope.body as Partial<StoredTransaction['envelope']['body']> | undefined;
  if (body?.sender !== row.sender || body.id !== row.client_id || body.validUntilMs !== row.valid_until_ms) {
    throw new ChainDataError(height, position, 'stored index columns (sender, id, valid-until) differ from the envelope');
  }
  return decoded;
}

