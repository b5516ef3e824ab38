import { Type, type Static, type TSchema } from 'typebox';
import { GenesisSchema } from '../core/genesis.js';
import { PublicKeyEntrySchema } from '../core/entities/participant.js';
import { TransactionBodySchema } from '../core/transaction.js';

/**
 * What the API answers, as schemas: the node declares them on its routes (and so in
 * /openapi.json), a test checks every real answer against them, and the SDK's types are
 * derived from them (type-only imports: nothing of this reaches a browser bundle).
 */

const closed = { additionalProperties: false } as const;
const Text = Type.String();
const Integer = Type.Integer();
const Decimal = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$', description: 'an amount in the asset\'s major unit, as a decimal string' });
const HexHash = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorEnvelope = Type.Object({
  error: Type.Object({
    type: Text, code: Text, message: Text, param: Type.Optional(Text),
    request_id: Type.Optional(Text), doc_url: Type.Optional(Text),
  }, closed),
}, { ...closed, description: 'the one shape of every error (docs/errors.md)' });

export const Page = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), has_more: Type.Boolean() }, closed);
export const CursorPage = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), has_more: Type.Boolean(), next: Nullable(Text) }, closed);

export const NetworkInfo = Type.Object({ network: Text, genesisHash: HexHash, validators: Type.Array(PublicKeyEntrySchema), height: Integer, headHash: Nullable(HexHash), timeMs: Integer }, closed);
export const AccountBalance = Type.Object({ id: Text, owner: Text, asset: Text, available: Decimal, held: Decimal, frozen: Type.Boolean() }, closed);
export const BalanceAt = Type.Object({ id: Text, owner: Text, asset: Text, available: Decimal, held: Decimal, frozen: Type.Boolean(), atMs: Integer, height: Integer, asOf: Nullable(Text) }, closed);
export const AssetSupply = Type.Object({ id: Text, kind: Text, code: Text, decimals: Integer, issuer: Text, paused: Type.Boolean(), issued: Decimal, redeemed: Decimal, supply: Decimal }, closed);
export const AssetReserves = Type.Object({
  asset: Text, supply: Decimal, manager: Nullable(Text),
  throttle: Nullable(Type.Object({ ceiling: Decimal, reason: Text, sinceMs: Integer }, closed)),
  attestations: Type.Array(Type.Object({
    report: Text, reportHash: HexHash, holdingsRoot: HexHash, holdings: Integer, reserves: Decimal, supply: Decimal, supplyAtAttestation: Decimal, covered: Type.Boolean(), attestedBy: Text, attestedAtMs: Integer,
  }, closed)),
  minters: Type.Optional(Type.Array(Type.Object({ minter: Text, remaining: Decimal, withheld: Decimal }, closed))),
}, { ...closed, description: "minters' allowances only for the asset's issuer, its reserve manager and overseers" });
export const HoldInfo = Type.Object({ id: Text, asset: Text, payer: Text, payee: Text, amount: Decimal, posted: Decimal, expiresAtMs: Integer, status: Text }, closed);
const Attestation = Type.Object({ attester: Text, documentType: Text }, closed);
export const ConditionalTrancheInfo = Type.Object({
  id: Text, amount: Decimal, status: Text, approvers: Type.Array(Text), approvalsRequired: Integer, approvals: Type.Array(Text),
  attestations: Type.Array(Attestation), attested: Type.Array(Type.Object({ attester: Text, documentType: Text, documentHash: HexHash }, closed)),
  notBeforeMs: Nullable(Integer), deferred: Type.Boolean(),
  waitingFor: Type.Object({ approvals: Integer, attestations: Type.Array(Attestation), untilMs: Nullable(Integer) }, { ...closed, description: 'what the tranche still needs before it can be paid (nothing left: releasable)' }),
}, closed);
export const ConditionalPaymentInfo = Type.Object({
  id: Text, asset: Text, payer: Text, payee: Text, amount: Decimal, locked: Decimal, released: Decimal, awarded: Decimal, deadlineMs: Integer,
  autoRelease: Type.Boolean(), arbiter: Nullable(Text), disputedBy: Nullable(Text), status: Text, tranches: Type.Array(ConditionalTrancheInfo),
}, closed);
export const SettlementInfo = Type.Object({
  id: Text, proposer: Text, settlers: Type.Array(Text), deadlineMs: Integer, status: Text,
  legs: Type.Array(Type.Object({ leg: Integer, from: Text, to: Text, asset: Text, amount: Decimal, allocated: Type.Boolean(), approved: Type.Boolean() }, closed)),
  waitingFor: Type.Array(Text, { description: 'who still has to act before it can settle, in words' }),
}, closed);
export const ProposalInfo = Type.Object({
  id: Text, proposer: Text, status: Text, createdAtMs: Integer, expiresAtMs: Integer,
  operations: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'the operations as signed, run as their proposer sent them once approved' }),
  described: Type.Array(Text, { description: 'each operation in words' }),
  requirements: Type.Array(Type.Object({ rule: Text, approvers: Type.Array(Text), required: Integer, approvals: Integer }, closed)),
  approvals: Type.Array(Text), rejectedBy: Nullable(Text),
  waitingFor: Type.Array(Text, { description: 'the approvals still missing, in words' }),
}, closed);
export const AccountPolicyInfo = Type.Object({
  account: Text, approvers: Type.Array(Text), approvalsRequired: Integer, approvalAbove: Decimal, perPaymentLimit: Nullable(Decimal), dailyLimit: Nullable(Decimal),
  counterparties: Nullable(Type.Array(Text)), approvalWindowMs: Integer, spentToday: Decimal,
}, closed);
export const PayeeCheck = Type.Object({
  account: Text, result: Type.Union(['match', 'close_match', 'no_match', 'unavailable'].map((r) => Type.Literal(r))),
  registeredName: Type.Optional({ ...Text, description: 'on a close match only: the name the account is registered under' }),
}, closed);
const OwnBalances = (description: string) => Type.Array(Type.Object({ account: Text, available: Decimal, held: Decimal }, closed), { description });
export const InstructionConflict = Type.Object({
  kind: Type.Union(['cycle', 'cannot_run', 'competing'].map((k) => Type.Literal(k))), instructions: Type.Array(Text), message: Text,
  code: Type.Optional({ ...Text, description: 'cannot_run: what the ledger would answer its payment now' }), atMs: Type.Optional({ ...Integer, description: 'competing: the first moment both run' }),
}, closed);
export const Simulation = Type.Object({
  result: Type.Object({ status: Text, code: Type.Optional(Text), operation: Type.Optional(Nullable(Integer)), rejected: Type.Optional(Type.Array(Type.Object({ code: Text, operation: Integer }, closed))) }, closed),
  explanations: Type.Array(Type.Object({ code: Text, operation: Nullable(Integer), field: Type.Optional(Text), message: Text }, closed)),
  events: Type.Array(Type.Object({ type: Text, operation: Nullable(Integer), data: Type.Record(Type.String(), Type.Unknown()) }, closed)),
  balances: OwnBalances("the caller's own accounts the operations touched, after them"),
  schedule: Type.Optional(Type.Object({
    fromMs: Integer, untilMs: Integer, complete: Type.Boolean({ description: 'false when the simulation stopped at its bound of runs before untilMs' }),
    runs: Type.Array(Type.Object({ atMs: Integer, instruction: Text, events: Type.Array(Type.Object({ type: Text, data: Type.Record(Type.String(), Type.Unknown()) }, closed)) }, closed)),
    balances: OwnBalances("the caller's own accounts the runs touched, after the last"),
  }, { ...closed, description: "with days: the caller's standing instructions played over those days, nothing else happening" })),
  conflicts: Type.Optional(Type.Array(InstructionConflict, { description: "the conflicts among the caller's standing instructions as the operations would leave them" })),
}, closed);
export const InstructionInfo = Type.Object({
  id: Text, owner: Text, kind: Text, from: Text, to: Text,
  amount: Type.Optional(Decimal), keep: Type.Optional(Decimal), floor: Type.Optional(Decimal), cap: Type.Optional(Decimal), reference: Type.Optional(Text), share: Type.Optional(Integer),
  schedule: Type.Optional(Type.Object({ rrule: Type.Optional(Text), cron: Type.Optional(Text), timeZone: Text }, closed)),
  onPayment: Type.Boolean(), status: Text, nextRunAtMs: Nullable(Integer), upcoming: Type.Array(Integer, { description: 'its next scheduled dates' }),
  armed: Type.Boolean({ description: 'a payment armed it: it runs at the start of the next block' }), pending: Decimal,
  runs: Integer, failures: Integer, maxFailures: Integer, createdAtMs: Integer,
}, closed);
export const InstructionConflicts = Type.Object({ owner: Text, fromMs: Integer, untilMs: Integer, conflicts: Type.Array(InstructionConflict) }, closed);
export const ParMember = Type.Object({
  asset: Text, issuer: Text, currency: Text, settlementAccount: Text,
  cap: Nullable({ ...Decimal, description: 'the most the issuer accepts to be owed, net, by any one other bank over a day' }), joinedAtMs: Integer,
}, closed);
export const NetPosition = Type.Object({
  currency: Text, bankA: Text, assetA: Text, bankB: Text, assetB: Text,
  aOwesB: { ...Decimal, description: "what bank A's clients paid bank B's clients at par over the day" }, bOwesA: Decimal, payments: Integer,
  net: Decimal, payer: Nullable({ ...Text, description: 'the bank that pays the net in central-bank money (null when the two cancel out)' }), payee: Nullable(Text),
}, closed);
export const NetSettlement = Type.Object({
  day: Text, fromMs: Integer, untilMs: Integer,
  final: Type.Boolean({ description: 'a block of a later day is committed: no payment can land in this day any more' }),
  positions: Type.Array(NetPosition),
}, closed);
export const ParticipantEntry = Type.Object({
  id: Text, legalName: Text, lei: Text, jurisdiction: Text, roles: Type.Array(Text),
  kycStatus: Type.Optional(Text), kycExpiresAtMs: Type.Optional(Nullable(Integer)),
  keys: Type.Array(PublicKeyEntrySchema), delegates: Type.Optional(Type.Array(Text)),
}, { ...closed, description: 'public keys for everyone; KYC status and delegates only for the participant itself and overseers' });

export const HistoryLine = Type.Object({
  position: Text, timeMs: Integer, type: Text, code: Type.Optional(Text),
  availableChange: Text, heldChange: Text, available: Decimal, held: Decimal,
  counterparty: Nullable(Text), transaction: Nullable(Text), reference: Nullable(Text), memo: Nullable(Text),
}, closed);

export const LedgerEvent = Type.Object({
  position: Type.String({ description: 'height:index:n' }), height: Integer, type: Text, timeMs: Integer, operation: Nullable(Integer),
  transaction: Nullable(Type.Object({ hash: HexHash, position: Integer, id: Text, sender: Text, reference: Type.Optional(Text), memo: Type.Optional(Text), signers: Type.Array(Text) }, closed)),
  accounts: Type.Array(Text), participants: Type.Array(Text), data: Type.Record(Type.String(), Type.Unknown()),
}, closed);

const Rejection = Type.Object({ code: Text, operation: Integer }, closed);
export const TransactionResult = Type.Union([
  Type.Object({ status: Type.Literal('committed'), rejected: Type.Optional(Type.Array(Rejection)) }, closed),
  Type.Object({ status: Type.Literal('rejected'), code: Text, operation: Nullable(Integer) }, closed),
]);
const Signature = Type.Object({ signer: Text, key: Text, signature: Text }, closed);
export const Envelope = Type.Object({ body: TransactionBodySchema, signatures: Type.Array(Signature) }, closed);
export const Disclosed = Type.Object({
  body: Type.Object({}, { additionalProperties: true, description: 'the body with the operations that do not concern the viewer replaced by their digests' }),
  signatures: Type.Array(Signature),
}, closed);

export const BlockHeader = Type.Object({
  version: Integer, network: Text, height: Integer, previousHash: HexHash, timestampMs: Integer, transactionCount: Integer,
  transactionRoot: HexHash, resultRoot: HexHash, stateRoot: HexHash,
}, closed);
export const SignedBlock = Type.Object({ header: BlockHeader, hash: HexHash, signatures: Type.Array(Type.Object({ validator: Text, signature: Text }, closed)) }, closed);

export const TransactionRecord = Type.Object({
  hash: HexHash, height: Integer, position: Integer, result: TransactionResult, signers: Type.Array(Text),
  envelope: Type.Optional(Envelope), disclosed: Type.Optional(Disclosed),
}, closed);
export const Receipt = Type.Object({
  transaction: HexHash, result: TransactionResult, signers: Type.Array(Text), index: Integer, block: SignedBlock,
  transactionProof: Type.Array(HexHash), resultProof: Type.Array(HexHash),
}, closed);

const Explanation = Type.Object({ code: Text, operation: Nullable(Integer), param: Text, message: Text }, closed);
export const Submission = Type.Union([
  Type.Object({ status: Type.Literal('sealed'), receipt: Receipt, replayed: Type.Boolean(), explanations: Type.Optional(Type.Array(Explanation)), heldBack: Type.Optional(Type.Array(Text, { description: 'the proposals a policy held the transaction (or, in a bulk file, some of its operations) back as, waiting for approvals' })) }, closed),
  Type.Object({ status: Type.Literal('pending'), hash: HexHash, replayed: Type.Boolean() }, closed),
]);

export const ReplicatedTransaction = Type.Object({
  envelope: Type.Optional(Envelope), disclosed: Type.Optional(Disclosed), result: TransactionResult, signers: Type.Array(Text),
  position: Type.Optional(Integer), transactionProof: Type.Optional(Type.Array(HexHash)), resultProof: Type.Optional(Type.Array(HexHash)),
}, closed);
export const ReplicationPage = Type.Object({ complete: Type.Boolean(), head: Integer, data: Type.Array(Type.Object({ block: SignedBlock, transactions: Type.Array(ReplicatedTransaction) }, closed)) }, closed);
export const BlockTransactions = Type.Object({ complete: Type.Boolean(), data: Type.Array(TransactionRecord) }, closed);
export const Session = Type.Object({ token: Text, expiresAtMs: Integer }, closed);
export const Genesis = GenesisSchema;

export type NetworkInfo = Static<typeof NetworkInfo>;
export type AccountBalance = Static<typeof AccountBalance>;
export type BalanceAt = Static<typeof BalanceAt>;
export type AssetSupply = Static<typeof AssetSupply>;
export type HoldInfo = Static<typeof HoldInfo>;
export type ConditionalPaymentInfo = Static<typeof ConditionalPaymentInfo>;
export type SettlementInfo = Static<typeof SettlementInfo>;
export type PayeeCheck = Static<typeof PayeeCheck>;
export type ProposalInfo = Static<typeof ProposalInfo>;
export type AccountPolicyInfo = Static<typeof AccountPolicyInfo>;
export type Simulation = Static<typeof Simulation>;
export type InstructionInfo = Static<typeof InstructionInfo>;
export type InstructionConflicts = Static<typeof InstructionConflicts>;
export type ParMember = Static<typeof ParMember>;
export type NetSettlement = Static<typeof NetSettlement>;
export type ParticipantEntry = Static<typeof ParticipantEntry>;
export type HistoryLine = Static<typeof HistoryLine>;
export type LedgerEvent = Static<typeof LedgerEvent>;

export const ErrorCode = Type.Object({
  code: Text,
  http: Type.Optional(Type.Object({ status: Integer, type: Text }, closed)),
  resolution: Type.Optional(Text),
  rejection: Type.Optional(Type.Object({ description: Text, retryable: Type.Boolean(), answeredAtAdmission: Type.Boolean() }, closed)),
}, closed);
