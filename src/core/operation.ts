import type { Static, TObject } from 'typebox';
import { precedenceOf, type RejectionCode } from './codes.js';
import { instructionAccounts, type Account, type ControlAct, type Participant, type Proposal, type Requirement } from './entities/index.js';
import type { AppliedEvent, EventDefinition } from './events.js';
import type { Role } from './roles.js';
import { policyChecks } from './operations/policies/rules.js';
import type { Draft, LedgerState } from './state.js';

/** What one operation sees: the transaction's draft, its sender, who signed it, and the block time. */
export interface OperationContext {
  readonly draft: Draft;
  readonly sender: Participant;
  /** Participants whose signatures on the transaction were verified before it reached the core. */
  readonly signers: ReadonlySet<string>;
  readonly blockTimeMs: number;
  /**
   * Participants whose approval the operation carries toward a policy's requirements: the
   * co-signers of the transaction besides its sender, or the approvers of a proposal.
   */
  readonly approvals: ReadonlySet<string>;
  /** Runs a proposal's operations on a draft over `draft`, as its proposer sent them, with `approvals`. */
  readonly execute: (draft: Draft, proposal: Proposal, approvals: ReadonlySet<string>) => Execution;
  /** The transaction's reference, which a split instruction on the payee's account may wait for. */
  readonly reference?: string;
  /** Set when a standing instruction runs the operation: which, and how deep in a chain of instructions arming one another. */
  readonly trigger?: Trigger;
}

/**
 * A standing instruction running an operation. Its owner approved it when it was made (under
 * the policies then in force), so policy approvals are not asked again; limits still apply.
 */
export interface Trigger {
  readonly instruction: string;
  readonly depth: number;
}

/** What running one operation gave: applied (with the policy requirements its approvals do not meet), or refused and why. */
export type Outcome =
  | { readonly events: AppliedEvent[]; readonly unmet: Requirement[] }
  | { readonly code: RejectionCode; readonly field?: string; readonly message: string };

/** Runs one operation as `sender` alone, on `draft`, at `blockTimeMs`, for a standing instruction. */
export type InstructionRunner = (draft: Draft, sender: Participant, op: { readonly type: string }, blockTimeMs: number, trigger: Trigger) => Outcome;

/** What running a proposal's operations gave: refused (why), or their events, in a draft not yet kept, and the requirements still unmet. */
export type Execution =
  | { readonly ok: false; readonly code: RejectionCode; readonly operation: number; readonly message: string }
  | { readonly ok: true; readonly draft: Draft; readonly events: readonly AppliedEvent[]; readonly unmet: readonly Requirement[] };

/** Money leaving an account by an operation: what account policies (limits, counterparties, approvals) govern. */
export interface Debit {
  readonly account: Account;
  readonly minor: bigint;
  /** The receiving account, if the money goes to one (a redemption's does not). */
  readonly to: Account | undefined;
}

/** An administrative act a participant's dual-control policy may govern (an issue: of this asset, this amount). */
export interface AdministrativeAct {
  readonly act: ControlAct;
  readonly asset?: string;
  readonly minor?: bigint;
}

/**
 * One reason an operation may be refused: the code, the field it is about, a test, and
 * what to tell the sender. An operation's checks run in order and the first that fails
 * decides; their codes follow the global precedence (REJECTION_CODES).
 */
export interface Check<Op, Env> {
  readonly code: RejectionCode;
  /** The operation's field the refusal is about, e.g. "from": an error names `operations[i].from`. */
  readonly field?: string;
  readonly fails: (env: Env, op: Op, ctx: OperationContext) => boolean;
  /** Quotes the offending value: `no account "globex-usd"`. */
  readonly explain: (env: Env, op: Op, ctx: OperationContext) => string;
}

/**
 * Looks up what an operation names, for deciding who it concerns (who may see it): the
 * owner of an account, the issuer of an asset, the accounts of a hold. Each of these is
 * fixed once the thing exists, so the answer is the same at any later time.
 */
export interface Lookup {
  ownerOf(account: string): string | undefined;
  assetOf(account: string): string | undefined;
  issuerOf(asset: string): string | undefined;
  holdAccounts(hold: string): { payer: string; payee: string } | undefined;
  /** A conditional payment's accounts and the participants it names (approvers, attesters, arbiter). */
  conditionalPayment(id: string): { payer: string; payee: string; participants: readonly string[] } | undefined;
  /** A settlement's accounts (every leg's) and the settlers it names. */
  settlement(id: string): { accounts: readonly string[]; participants: readonly string[] } | undefined;
  /** A proposal's accounts and the participants it names (its proposer and every approver). */
  proposal(id: string): { accounts: readonly string[]; participants: readonly string[] } | undefined;
  /** A standing instruction's owner and the owner's accounts it names. */
  instruction(id: string): { owner: string; accounts: readonly string[] } | undefined;
}

export function lookupIn(state: LedgerState): Lookup {
  return {
    ownerOf: (account) => state.accounts.get(account)?.owner,
    assetOf: (account) => state.accounts.get(account)?.asset,
    issuerOf: (asset) => state.assets.get(asset)?.issuer,
    holdAccounts: (hold) => {
      const found = state.holds.get(hold);
      return found === undefined ? undefined : { payer: found.payer, payee: found.payee };
    },
    conditionalPayment: (id) => {
      const found = state.conditional_payments.get(id);
      if (found === undefined) return undefined;
      const named = found.tranches.flatMap((tranche) => [...tranche.approvers, ...tranche.attestations.map((needed) => needed.attester)]);
      return { payer: found.payer, payee: found.payee, participants: [...new Set([...named, ...(found.arbiter === null ? [] : [found.arbiter])])] };
    },
    settlement: (id) => {
      const found = state.settlements.get(id);
      return found === undefined ? undefined : { accounts: [...new Set(found.legs.flatMap((leg) => [leg.from, leg.to]))], participants: found.settlers };
    },
    proposal: (id) => {
      const found = state.proposals.get(id);
      return found === undefined ? undefined : { accounts: found.accounts, participants: [...new Set([found.proposer, ...found.requirements.flatMap((requirement) => requirement.approvers)])] };
    },
    instruction: (id) => {
      const found = state.standing_instructions.get(id);
      return found === undefined ? undefined : { owner: found.owner, accounts: instructionAccounts(found, (account) => state.accounts.get(account)?.owner) };
    },
  };
}

/** What an operation declares about itself before any logic: its place, its schema and who may send it. */
export interface OperationHead<S extends TObject> {
  readonly family: string;
  readonly summary: string;
  /** The JSON schema of the operation as signed (with `type` as a literal); its TypeScript type derives from it. */
  readonly schema: S;
  /** Roles whose holders may send it (be the transaction's sender). */
  readonly initiators: readonly Role[];
  /** Whose consent (signature) it needs, in words, for the documentation. */
  readonly consent: string;
  readonly events: readonly EventDefinition[];
  /** The operation in words, for people reading a transaction (amounts as signed, in the asset's unit). */
  describe(op: Static<S>): string;
}

/** Its rules and effect, typed by what `resolve` looked up. */
export interface OperationBody<Op, Env> {
  /** In precedence order; a group (from a shared factory such as `amountChecks`) stands for its checks in order. */
  readonly checks: readonly (Check<Op, Env> | readonly Check<Op, Env>[])[];
  /** The effect, once every check passed: writes to the draft, returns what happened. It cannot fail. */
  apply(ctx: OperationContext, op: Op, env: Env): AppliedEvent[];
  /** Participants the operation concerns, from its content: they may see it. */
  parties(op: Op, lookup: Lookup): readonly (string | undefined)[];
  /** Accounts the operation names, from its content. */
  accounts(op: Op, lookup: Lookup): readonly (string | undefined)[];
  /** Money it takes out of accounts (once its checks passed): account policies apply to it. */
  debits?(op: Op, env: Env): readonly Debit[];
  /** The administrative act it is (once its checks passed), if the sender's dual control may cover it. */
  act?(op: Op, env: Env): AdministrativeAct | null;
  /** Approvals it needs for its own reasons (changing a policy needs that policy's approvers). */
  requirements?(op: Op, env: Env, ctx: OperationContext): readonly Requirement[];
}

/**
 * An operation as a registered unit. Everything else (the state machine's dispatch, the
 * API's schemas, the codes answered at admission, the SDK's builders, the CLI's choices,
 * the documentation's tables) is derived from these declarations.
 */
export interface OperationDefinition<S extends TObject = TObject, Env = unknown> extends OperationHead<S>, Omit<OperationBody<Static<S>, Env>, 'checks'> {
  readonly type: string;
  readonly checks: readonly Check<Static<S>, Env>[];
  /** Looks up what the operation names; never fails (a missing thing is undefined, and a check says so). */
  resolve(ctx: OperationContext, op: Static<S>): Env;
}

/**
 * Declares an operation in three steps, each typed by the one before: what it is, what
 * it looks up, then its ordered checks and its effect.
 */
export function operation<S extends TObject>(head: OperationHead<S>) {
  const type = ((head.schema.properties as Record<string, { const?: unknown }>)['type']?.const);
  if (typeof type !== 'string') throw new Error('invariant: an operation schema names its type as a literal');
  return {
    resolve: <Env>(resolve: (ctx: OperationContext, op: Static<S>) => Env) => ({
      define: (body: OperationBody<Static<S>, Env>): OperationDefinition<S, Env> => ({ ...head, type, resolve, ...body, checks: body.checks.flat() }),
    }),
  };
}

/** The initiator rule as a check: the sender's roles must include one that may send the operation. */
function initiatorCheck(definition: OperationDefinition<TObject, unknown>): Check<unknown, unknown> {
  return {
    code: 'not_authorized',
    fails: (_env, _op, ctx) => !ctx.sender.roles.some((role) => definition.initiators.includes(role)),
    explain: (_env, _op, ctx) => `${ctx.sender.id} (${ctx.sender.roles.join(', ')}) may not send ${definition.type}: only a participant with the role ${definition.initiators.join(' or ')} may`,
  };
}

/** An operation's checks with the initiator rule in its place by precedence (before the operation's own not_authorized checks). */
export function orderedChecks(definition: OperationDefinition<TObject, unknown>): readonly Check<unknown, unknown>[] {
  let checks = insertAt(definition.checks as readonly Check<unknown, unknown>[], initiatorCheck(definition), (code) => code >= precedenceOf('not_authorized'));
  // An account policy's limits and counterparties, for every operation that takes money out of an account.
  for (const check of policyChecks(definition as OperationDefinition)) checks = insertAt(checks, check, (code) => code > precedenceOf(check.code));
  return checks;
}

/** `checks` with `check` before the first whose code's precedence `after` accepts. */
function insertAt(checks: readonly Check<unknown, unknown>[], check: Check<unknown, unknown>, after: (precedence: number) => boolean): Check<unknown, unknown>[] {
  const at = checks.findIndex((existing) => after(precedenceOf(existing.code)));
  const index = at === -1 ? checks.length : at;
  return [...checks.slice(0, index), check, ...checks.slice(index)];
}
