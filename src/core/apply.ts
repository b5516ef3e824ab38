import type { RejectionCode } from './codes.js';
import { operationRejected, transactionRejected, type AppliedEvent } from './events.js';
import type { Proposal, Requirement } from './entities/index.js';
import { lookupIn, orderedChecks, type Check, type Execution, type InstructionRunner, type OperationContext, type OperationDefinition, type Outcome } from './operation.js';
import { withBalances } from './operations/effects.js';
import { operationDefinition, SCHEDULED_EFFECTS, type Operation } from './operations/index.js';
import { armTriggers } from './operations/instructions/triggers.js';
import { propose } from './operations/policies/proposing.js';
import { recordSpending, unmetRequirements } from './operations/policies/rules.js';
import type { TableName } from './entities/index.js';
import type { ScheduledEffect } from './scheduled.js';
import { Draft, type LedgerState } from './state.js';
import { transactionKey, type TransactionBody } from './transaction.js';

/** A transaction whose signatures were checked outside the core: `signers` are the verified participants. */
export interface TransactionInput {
  readonly body: TransactionBody;
  readonly signers: ReadonlySet<string>;
}

/** An operation of a non-atomic transaction that failed on its own. */
export interface OperationRejection {
  readonly code: RejectionCode;
  readonly operation: number;
}

export type TransactionResult =
  | { readonly status: 'committed'; readonly rejected?: readonly OperationRejection[] }
  | { readonly status: 'rejected'; readonly code: RejectionCode; readonly operation: number | null };

/** Why an operation (or the transaction) was refused, in words, naming the field: never part of what is signed. */
export interface Explanation {
  readonly code: RejectionCode;
  readonly operation: number | null;
  readonly field?: string;
  readonly message: string;
}

/** An event with the operation it came from (null: the transaction as a whole). */
export interface TransactionEvent extends AppliedEvent {
  readonly operation: number | null;
}

export interface AppliedTransaction {
  readonly result: TransactionResult;
  /** What the operations that were kept did, in order. */
  readonly events: readonly TransactionEvent[];
  /** Why each refused operation (or the transaction) was refused. */
  readonly explanations: readonly Explanation[];
}

const CHECKS = new Map<OperationDefinition, readonly Check<unknown, unknown>[]>();

function checksOf(definition: OperationDefinition): readonly Check<unknown, unknown>[] {
  let checks = CHECKS.get(definition);
  if (checks === undefined) {
    checks = orderedChecks(definition);
    CHECKS.set(definition, checks);
  }
  return checks;
}

/**
 * Runs one operation's checks in order; the first that fails refuses it, else its effect
 * is applied to the draft and the standing instructions it concerns are armed. What
 * policies still require is returned beside its events: the caller holds the operation
 * back as a proposal instead of keeping the draft. A standing instruction's run was
 * approved when the instruction was made, so it is never held back.
 */
function runOperation(ctx: OperationContext, op: Operation): Outcome {
  const definition = operationDefinition(op.type);
  if (definition === undefined) throw new Error(`invariant: no operation ${String((op as { type?: unknown }).type)} is registered`);
  const env = definition.resolve(ctx, op as never);
  for (const check of checksOf(definition)) {
    if (check.fails(env, op, ctx)) return { code: check.code, ...(check.field !== undefined && { field: check.field }), message: check.explain(env, op, ctx) };
  }
  const unmet = ctx.trigger === undefined ? unmetRequirements(definition, op, env, ctx) : [];
  // Counted before the effect, from what the checks saw; a held-back operation's draft is dropped with its count.
  recordSpending(definition, op, env, ctx);
  const events = definition.apply(ctx, op as never, env);
  const stopped = armTriggers(ctx, events);
  if (stopped.length > 0) events.push(...stopped);
  return { events, unmet };
}

/** Runs an operation for a standing instruction: as its owner alone, carrying no approvals (its runs need none). */
export const runForInstruction: InstructionRunner = (draft, sender, op, blockTimeMs, trigger) => {
  const ctx: OperationContext = {
    draft, sender, signers: new Set([sender.id]), blockTimeMs, approvals: new Set(), trigger,
    execute: () => { throw new Error('invariant: a standing instruction runs no proposal'); },
  };
  return runOperation(ctx, op as Operation);
};

/** The accounts operations name, for who may see a proposal of them. */
function accountsOf(state: LedgerState, operations: readonly Operation[]): string[] {
  const lookup = lookupIn(state);
  const named = operations.flatMap((op) => operationDefinition(op.type)?.accounts(op as never, lookup) ?? []);
  return [...new Set(named.filter((account): account is string => account !== undefined))];
}

/** The co-signers of a transaction besides its sender: their signatures count as approvals. */
function coSigners(input: TransactionInput): Set<string> {
  return new Set([...input.signers].filter((signer) => signer !== input.body.sender));
}

/**
 * Runs a proposal's operations (all or none) on a draft over `draft`, as its proposer sent
 * them with its signers, carrying `approvals`. The caller keeps the draft or drops it.
 */
function executeProposal(draft: Draft, proposal: Proposal, approvals: ReadonlySet<string>, blockTimeMs: number): Execution {
  const sender = draft.get('participants', proposal.proposer)!;
  const ctx: OperationContext = { draft: new Draft(draft), sender, signers: new Set(proposal.signers), blockTimeMs, approvals, execute: (d, p, a) => executeProposal(d, p, a, blockTimeMs) };
  const events: AppliedEvent[] = [];
  const unmet: Requirement[] = [];
  for (const [index, op] of (proposal.operations as Operation[]).entries()) {
    const outcome = runOperation(ctx, op);
    if (!('events' in outcome)) return { ok: false, code: outcome.code, operation: index, message: outcome.message };
    events.push(...outcome.events);
    unmet.push(...outcome.unmet);
  }
  return { ok: true, draft: ctx.draft, events, unmet };
}

function contextFor(state: LedgerState, input: TransactionInput, sender: OperationContext['sender'], blockTimeMs: number): OperationContext {
  return {
    draft: new Draft(state), sender, signers: input.signers, blockTimeMs, approvals: coSigners(input),
    execute: (draft, proposal, approvals) => executeProposal(draft, proposal, approvals, blockTimeMs),
    ...(input.body.reference !== undefined && { reference: input.body.reference }),
  };
}

/**
 * The accounts a refused operation named that belong to whoever sent or signed it (or
 * named one of them its delegate): the attempt is in those accounts' history, and no
 * other party learns of it.
 */
function ownAccounts(state: LedgerState, input: TransactionInput, operations: readonly Operation[]): string[] {
  const lookup = lookupIn(state);
  const actors = new Set([input.body.sender, ...input.signers]);
  const accounts = new Set<string>();
  for (const op of operations) {
    for (const account of operationDefinition(op.type)?.accounts(op as never, lookup) ?? []) {
      const owner = account === undefined ? undefined : state.participants.get(lookup.ownerOf(account) ?? '');
      if (owner !== undefined && (actors.has(owner.id) || owner.delegates.some((delegate) => actors.has(delegate)))) accounts.add(account!);
    }
  }
  return [...accounts];
}

function rejectionEvent(state: LedgerState, input: TransactionInput, definition: typeof transactionRejected | typeof operationRejected, code: RejectionCode, operation: number | null, named: readonly Operation[]): AppliedEvent {
  // In one order on every node: the signers are a set, and events must be derived identically everywhere.
  const participants = [...new Set([input.body.sender, ...input.signers])].sort();
  const event = definition.of({ code, operation }, { accounts: ownAccounts(state, input, named), participants });
  return withBalances(new Draft(state), event);
}

function rejected(state: LedgerState, input: TransactionInput, code: RejectionCode, operation: number | null, message: string, field?: string): AppliedTransaction {
  return {
    result: { status: 'rejected', code, operation },
    events: [{ ...rejectionEvent(state, input, transactionRejected, code, operation, operation === null ? [] : input.body.operations), operation: null }],
    explanations: [{ code, operation, message, ...(field !== undefined && { field }) }],
  };
}

/**
 * Applies one transaction at `blockTimeMs`: all its operations, or none. The id is
 * spent either way, so a resubmission never executes twice. With `dryRun` the state
 * is left exactly as it was: admission uses it to answer malformed requests at once.
 */
export function applyTransaction(state: LedgerState, input: TransactionInput, blockTimeMs: number, dryRun = false): AppliedTransaction {
  return applyKeeping(state, input, blockTimeMs, dryRun).applied;
}

/**
 * applyTransaction, also giving the draft an atomic transaction's operations ran in when
 * they all ran (null otherwise). After a dry run it is not committed, and a simulation
 * carries on from it.
 */
export function applyKeeping(state: LedgerState, input: TransactionInput, blockTimeMs: number, dryRun: boolean): { applied: AppliedTransaction; draft: Draft | null } {
  const { body } = input;
  const only = (applied: AppliedTransaction) => ({ applied, draft: null });
  const key = transactionKey(body.sender, body.id);
  if (body.validUntilMs < blockTimeMs) return only(rejected(state, input, 'transaction_expired', null, `valid-until ${body.validUntilMs} is before the block time ${blockTimeMs}`));
  if (state.transactionKeys.has(key)) return only(rejected(state, input, 'duplicate_transaction', null, `${body.sender} already used transaction id ${body.id}`));
  if (!dryRun) state.addTransactionKey(key, body.validUntilMs);
  const sender = state.participants.get(body.sender);
  // Signers are registered participants whose signatures verified: an unknown sender cannot be among them.
  if (sender === undefined || !input.signers.has(body.sender)) return only(rejected(state, input, 'sender_not_signed', null, `no verified signature of the sender ${body.sender}`, 'sender'));
  const ctx = contextFor(state, input, sender, blockTimeMs);
  if (body.atomic === false) return only(applyEach(ctx, input, dryRun));
  const events: TransactionEvent[] = [];
  const unmet: Requirement[] = [];
  for (const [index, op] of body.operations.entries()) {
    const outcome = runOperation(ctx, op);
    if (!('events' in outcome)) return only(rejected(state, input, outcome.code, index, outcome.message, outcome.field));
    for (const applied of outcome.events) events.push({ event: applied.event, balances: applied.balances, operation: index });
    unmet.push(...outcome.unmet);
  }
  // Every operation is valid, but a policy wants approvals first: nothing applies, the whole transaction waits.
  if (unmet.length > 0) {
    // An approval never waits for approval: a proposal that ran another would nest them without bound.
    const approval = body.operations.findIndex((op) => op.type === 'approve_proposal');
    if (approval !== -1) return only(rejected(state, input, 'not_authorized', approval, 'an approval of a proposal cannot itself wait for approval: send it in a transaction of its own'));
    return only(heldBack(state, input, body.operations, unmet, null, blockTimeMs, dryRun));
  }
  if (!dryRun) ctx.draft.commit();
  return { applied: { result: { status: 'committed' }, events, explanations: [] }, draft: ctx.draft };
}

/** Operations a policy holds back, recorded as a proposal (the operations' own effects are not kept). */
function heldBack(state: LedgerState, input: TransactionInput, operations: readonly Operation[], unmet: readonly Requirement[], operation: number | null, blockTimeMs: number, dryRun: boolean): AppliedTransaction {
  const draft = new Draft(state);
  const event = propose(draft, { proposer: input.body.sender, signers: [...input.signers].sort(), operations, accounts: accountsOf(state, operations), unmet, blockTimeMs });
  if (!dryRun) draft.commit();
  return { result: { status: 'committed' }, events: [{ ...event, operation }], explanations: [] };
}

/**
 * A non-atomic transaction: each operation gets its own draft, kept if it succeeds and
 * dropped if it fails, so one bad payment in a file does not stop the others. Only the
 * events of the operations that were kept are reported.
 */
function applyEach(ctx: OperationContext, input: TransactionInput, dryRun: boolean): AppliedTransaction {
  const failures: OperationRejection[] = [];
  const explanations: Explanation[] = [];
  const events: TransactionEvent[] = [];
  for (const [index, op] of input.body.operations.entries()) {
    const draft = new Draft(ctx.draft.state);
    const outcome = runOperation({ ...ctx, draft }, op);
    if ('events' in outcome && outcome.unmet.length > 0) {
      events.push(...heldBack(ctx.draft.state, input, [op], outcome.unmet, index, ctx.blockTimeMs, dryRun).events);
      continue;
    }
    if ('events' in outcome) {
      for (const applied of outcome.events) events.push({ event: applied.event, balances: applied.balances, operation: index });
      if (!dryRun) draft.commit();
      continue;
    }
    failures.push({ code: outcome.code, operation: index });
    explanations.push({ ...outcome, operation: index });
    events.push({ ...rejectionEvent(ctx.draft.state, input, operationRejected, outcome.code, index, [op]), operation: index });
  }
  const result: TransactionResult = failures.length === 0 ? { status: 'committed' } : { status: 'committed', rejected: failures };
  return { result, events, explanations };
}

/**
 * What happens at a block's time before its transactions: entities whose time came are
 * handled by the scheduler (holds expire, standing instructions run), and ids leave the
 * in-memory window. An effect with a per-block bound leaves the rest due for the next blocks.
 */
export function beginBlock(state: LedgerState, blockTimeMs: number): AppliedEvent[] {
  const events: AppliedEvent[] = [];
  const handled = new Map<ScheduledEffect, number>();
  const deferred: { table: TableName; id: string }[] = [];
  for (let due = state.takeDue(blockTimeMs); due !== null; due = state.takeDue(blockTimeMs)) {
    const effect = SCHEDULED_EFFECTS.find((candidate) => candidate.table === due!.table);
    if (effect === undefined) throw new Error(`invariant: ${due.table} falls due but nothing is scheduled for it`);
    const count = handled.get(effect) ?? 0;
    if (effect.perBlockMax !== undefined && count >= effect.perBlockMax) {
      deferred.push(due);
      continue;
    }
    handled.set(effect, count + 1);
    const draft = new Draft(state);
    events.push(...effect.apply(draft, state.table(due.table).get(due.id), blockTimeMs, runForInstruction));
    draft.commit();
  }
  // Back on the queue once this block is done with it: still due, so the sequencer cuts the next block at once.
  for (const { table, id } of deferred) state.schedule(table, id, state.table(table).get(id)!);
  for (let due = state.transactionKeyDeadlines.peek(); due !== undefined && due.atMs < blockTimeMs; due = state.transactionKeyDeadlines.peek()) {
    state.transactionKeyDeadlines.pop();
    state.transactionKeys.delete(due.key);
  }
  return events;
}

/** The time of the next scheduled effect, so the sequencer can cut a block for it. */
export function nextDueMs(state: LedgerState): number | null {
  return state.nextDueMs();
}

/** Accounts the kept operations touched, in first-touch order. */
export function touchedAccounts(applied: AppliedTransaction): string[] {
  const accounts = new Set<string>();
  for (const { event } of applied.events) for (const account of event.accounts) accounts.add(account);
  return [...accounts];
}

/**
 * Everyone the transaction concerns: its sender and signers, and what the events of its
 * kept operations name (participants, and the owners of accounts).
 */
export function concernedParties(applied: AppliedTransaction, input: TransactionInput, ownerOf: (account: string) => string | undefined): string[] {
  const parties = new Set<string>([input.body.sender, ...input.signers]);
  for (const { event } of applied.events) {
    for (const participant of event.participants) parties.add(participant);
    for (const account of event.accounts) {
      const owner = ownerOf(account);
      if (owner !== undefined) parties.add(owner);
    }
  }
  return [...parties];
}

/** The holds a block's scheduler expired, from its events. */
export function expiredHoldsOf(events: readonly AppliedEvent[]): string[] {
  return events.filter(({ event }) => event.type === 'hold_expired').map(({ event }) => (event.data as { hold: string }).hold);
}
