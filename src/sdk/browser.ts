/**
 * The SDK as it runs anywhere, a browser included: no Node.js module is imported from
 * here (a browser bundle swaps the chain's crypto for its @noble twin). Node programs
 * import `./index.js`, which adds the file-backed LocalSigner.
 */
export { apiErrorOf, DepositumApiError, DepositumClient } from './client.js';
export type { AccountBalance, AssetSupply, BalanceAt, ClientOptions, ConditionalPaymentInfo, PayeeCheck, ProposalInfo, AccountPolicyInfo, SettlementInfo, Simulation, CursorPage, HistoryLine, HistoryQuery, HoldInfo, InstructionConflicts, InstructionInfo, LedgerEvent, NetSettlement, NetworkInfo, ParMember, Page, RejectionExplanation, ReplicatedTransaction, ReplicationPage, Submission, SubmitOptions, TransactionRecord } from './client.js';
export { SeedSigner, verifySignature, type Signer } from '../chain/keys.js';
export { receiptProblem, type Receipt } from '../chain/receipt.js';
export type { SignedBlock, BlockHeader } from '../chain/block.js';
export { signTransaction, transactionHash, type TransactionEnvelope } from '../chain/transaction.js';
export { formatAmount, parseAmount } from '../core/amount.js';
export type { Operation } from '../core/operations/index.js';
export type { TransactionBody } from '../core/transaction.js';
export { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TOLERANCE_S, webhookProblem, webhookSignature } from './webhooks.js';
export { ops, type OperationBuilders, type OperationFields } from './operations.js';
export { WebCryptoSigner, KeyFileError, parseKeyFile, type KeyFile } from './webcrypto-signer.js';
export { followEvents, type BlockAnnouncement, type FollowHandlers, type FollowOptions } from './event-stream.js';
