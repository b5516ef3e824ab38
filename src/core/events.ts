import { Type, type Static, type TObject } from 'typebox';
import { REJECTION_PRECEDENCE } from './codes.js';
import { literals } from './schema.js';

/**
 * Domain events: what a committed transaction (or the block-time scheduler) did, in the
 * ledger's own words. They are derived deterministically from the block, so every node,
 * follower and observer derives the same ones. Amounts are decimal strings in the
 * asset's unit, as on the wire.
 *
 * Who may see an event follows from what it names: the owners of its `accounts`, its
 * `participants`, and the sender and signers of its transaction (and overseers see all).
 */
export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  readonly type: T;
  readonly accounts: readonly string[];
  readonly participants: readonly string[];
  readonly data: D;
}

/** An event type: its name, what it means, and the schema of its data. */
export interface EventDefinition<T extends string = string, S extends TObject = TObject> {
  readonly type: T;
  readonly description: string;
  readonly schema: S;
}

export function defineEvent<T extends string, S extends TObject>(type: T, description: string, schema: S): EventDefinition<T, S> & {
  of(data: Static<S>, concerns: { accounts?: readonly string[]; participants?: readonly string[] }): DomainEvent<T, Static<S>>;
} {
  return {
    type, description, schema,
    of: (data, concerns) => ({ type, accounts: concerns.accounts ?? [], participants: concerns.participants ?? [], data }),
  };
}

/** An account's balances right after an event, for its history (running balance). */
export interface BalanceAfter {
  readonly account: string;
  readonly availableMinor: bigint;
  readonly heldMinor: bigint;
}

/** An event with the balances it left on the accounts it names (never shown to anyone but each account's own viewers). */
export interface AppliedEvent {
  readonly event: DomainEvent;
  readonly balances: readonly BalanceAfter[];
}

const Rejection = Type.Object({ code: literals(REJECTION_PRECEDENCE), operation: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]) });

/** Emitted for a transaction the sequencer rejected (recorded as an attempt), for its sender and signers. */
export const transactionRejected = defineEvent('transaction_rejected', 'the transaction was recorded as rejected: nothing of it applied', Rejection);

/** Emitted for each operation of a non-atomic transaction (a bulk file) that failed on its own. */
export const operationRejected = defineEvent('operation_rejected', 'one operation of a non-atomic transaction failed; the others stand', Rejection);
