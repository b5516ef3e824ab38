export { DepositumApiError, DepositumClient } from './client.js';
export type { AccountBalance, AssetSupply, BalanceAt, ClientOptions, CursorPage, HistoryLine, HistoryQuery, HoldInfo, LedgerEvent, NetworkInfo, Page, RejectionExplanation, ReplicatedTransaction, ReplicationPage, Submission, SubmitOptions, TransactionRecord } from './client.js';
export { LocalSigner, receiptProblem, signTransaction, transactionHash, type Receipt, type Signer, type TransactionEnvelope } from '../chain/index.js';
export { formatAmount, parseAmount, type Operation, type TransactionBody } from '../core/index.js';
