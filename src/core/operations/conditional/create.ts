import { Type } from 'typebox';
import { formatAmount, parseAmount, type AmountParse } from '../../amount.js';
import type { Participant, Tranche } from '../../entities/index.js';
import { operation, type Check, type OperationContext } from '../../operation.js';
import { Amount, Id, TimeMs } from '../../schema.js';
import { amountChecks, hasRole, movementChecks, mustBeNew } from '../checks.js';
import { withBalances } from '../effects.js';
import { holdOnPayer, legsExist, payerConsents, payerHasFunds, resolveLegs, sameAsset, type Legs } from '../payments/legs.js';
import { conditionalCreated, releaseDeferred, trancheReleased } from './events.js';
import { releaseDue } from './resolution.js';

/** The longest a conditional payment may lock funds: 400 days (a year's trade cycle and its disputes). */
export const CONDITIONAL_DURATION_MAX_MS = 400 * 24 * 60 * 60 * 1000;
/** Bounds that keep one payment's state, and the work of each block that looks at it, small. */
export const TRANCHES_MAX = 16;
export const APPROVERS_MAX = 16;
export const ATTESTATIONS_MAX = 8;

const TrancheSpec = Type.Object({
  tranche: Id,
  amount: Amount,
  approvers: Type.Optional(Type.Array(Id, { maxItems: APPROVERS_MAX, description: 'participants whose approval counts' })),
  approvalsRequired: Type.Optional(Type.Integer({ minimum: 1, maximum: APPROVERS_MAX, description: 'k of the n approvers (default: all of them)' })),
  attestations: Type.Optional(Type.Array(Type.Object({ attester: Id, documentType: Id }, { additionalProperties: false }), { maxItems: ATTESTATIONS_MAX, description: 'documents a registered attester must attest' })),
  notBeforeMs: Type.Optional({ ...TimeMs, description: 'time lock: not paid before this block time' }),
}, { additionalProperties: false });

type Spec = {
  tranche: string; amount: string; approvers?: string[]; approvalsRequired?: number;
  attestations?: { attester: string; documentType: string }[]; notBeforeMs?: number;
};

interface CreateEnv extends Legs {
  existing: unknown;
  trancheAmounts: (AmountParse | undefined)[];
  named: { id: string; participant: Participant | undefined; as: 'approver' | 'attester' | 'arbiter' }[];
}

function resolve(ctx: OperationContext, op: { from: string; to: string; amount: string; payment: string; arbiter?: string; tranches: Spec[] }): CreateEnv {
  const legs = resolveLegs(ctx, op);
  const named: CreateEnv['named'] = [];
  const name = (id: string, as: CreateEnv['named'][number]['as']) => named.push({ id, participant: ctx.draft.get('participants', id), as });
  for (const spec of op.tranches) {
    for (const approver of spec.approvers ?? []) name(approver, 'approver');
    for (const needed of spec.attestations ?? []) name(needed.attester, 'attester');
  }
  if (op.arbiter !== undefined) name(op.arbiter, 'arbiter');
  return {
    ...legs,
    existing: ctx.draft.get('conditional_payments', op.payment),
    trancheAmounts: op.tranches.map((spec) => (legs.asset === undefined ? undefined : parseAmount(spec.amount, legs.asset.decimals))),
    named,
  };
}

/** The first tranche whose amount fails `test`, with its index. */
function firstTranche(env: CreateEnv, test: (parsed: AmountParse) => boolean): number {
  return env.trancheAmounts.findIndex((parsed) => parsed !== undefined && test(parsed));
}

/** Why the tranches cannot make a payment (null when they can). */
function conditionsProblem(env: CreateEnv, op: { amount: string; deadlineMs: number; arbiter?: string; tranches: Spec[] }): string | null {
  const ids = op.tranches.map((spec) => spec.tranche);
  if (new Set(ids).size !== ids.length) return 'two tranches share an id';
  const total = env.trancheAmounts.reduce((sum, parsed) => sum + (parsed?.ok === true ? parsed.minor : 0n), 0n);
  if (total !== env.minor) return `the tranches add up to ${formatAmount(total, env.asset!.decimals)}, not ${op.amount}`;
  if (env.payer!.id === env.payee!.id) return 'the payer and the payee are the same account';
  for (const spec of op.tranches) {
    const approvers = spec.approvers ?? [];
    if (new Set(approvers).size !== approvers.length) return `tranche ${spec.tranche} names an approver twice`;
    if (spec.approvalsRequired !== undefined && spec.approvalsRequired > approvers.length) return `tranche ${spec.tranche} asks for ${spec.approvalsRequired} approvals from ${approvers.length} approvers`;
    const needed = (spec.attestations ?? []).map((a) => `${a.attester}\n${a.documentType}`);
    if (new Set(needed).size !== needed.length) return `tranche ${spec.tranche} asks for the same attestation twice`;
    if (spec.notBeforeMs !== undefined && spec.notBeforeMs >= op.deadlineMs) return `tranche ${spec.tranche} is time-locked until after the deadline`;
  }
  const parties = [env.payer!.owner, env.payee!.owner];
  if (op.arbiter !== undefined && parties.includes(op.arbiter)) return `the arbiter ${op.arbiter} is a party to the payment`;
  return null;
}

function tranchesOf(op: { tranches: Spec[] }, env: CreateEnv): Tranche[] {
  return op.tranches.map((spec, i) => {
    const approvers = spec.approvers ?? [];
    return {
      id: spec.tranche, amountMinor: (env.trancheAmounts[i] as Extract<AmountParse, { ok: true }>).minor,
      approvers, approvalsRequired: spec.approvalsRequired ?? approvers.length,
      attestations: (spec.attestations ?? []).map(({ attester, documentType }) => ({ attester, documentType })),
      notBeforeMs: spec.notBeforeMs ?? null, approvals: [], attested: [], status: 'pending', deferred: false,
    };
  });
}

/** The amount's and the tranches' amounts' checks, by precedence: any invalid amount before any too precise one. */
function allAmountChecks(): Check<{ amount: string; tranches: Spec[] }, CreateEnv>[] {
  const [invalid, tooPrecise] = amountChecks<{ amount: string; tranches: Spec[] }, CreateEnv>('amount', (env) => env.amount, (env) => env.asset, 'refused');
  return [invalid!, trancheAmountChecks[0]!, tooPrecise!, trancheAmountChecks[1]!];
}

const trancheAmountChecks: Check<unknown, CreateEnv>[] = [
  {
    code: 'invalid_amount', field: 'tranches',
    fails: (env) => firstTranche(env, (p) => (p.ok ? p.minor === 0n : p.reason !== 'precision')) !== -1,
    explain: (env, op) => `tranche ${(op as { tranches: Spec[] }).tranches[firstTranche(env, (p) => (p.ok ? p.minor === 0n : p.reason !== 'precision'))]?.tranche ?? ''}'s amount is zero or not a decimal such as "1000.00"`,
  },
  {
    code: 'amount_too_precise', field: 'tranches',
    fails: (env) => firstTranche(env, (p) => !p.ok && p.reason === 'precision') !== -1,
    explain: (env) => `a tranche's amount has more decimals than ${env.asset!.id} allows (${env.asset!.decimals})`,
  },
];

export const createConditional = operation({
  family: 'conditional',
  summary: 'lock funds toward a payee, paid tranche by tranche under approvals, attestations and time locks, returned at the deadline',
  schema: Type.Object({
    type: Type.Literal('conditional_payment'), payment: Id, from: Id, to: Id, amount: Amount, deadlineMs: TimeMs,
    autoRelease: Type.Optional(Type.Boolean({ description: 'pay each tranche the moment its last condition holds (default: on an explicit release)' })),
    arbiter: Type.Optional({ ...Id, description: 'the participant who decides a dispute; without one the payment cannot be disputed' }),
    tranches: Type.Array(TrancheSpec, { minItems: 1, maxItems: TRANCHES_MAX }),
  }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the owner of the paying account, or a delegate it named',
  events: [conditionalCreated, trancheReleased, releaseDeferred],
  // Formats a time the operation carries; no clock is read.
  // eslint-disable-next-line no-restricted-globals
  describe: (op) => `lock ${op.amount} from ${op.from} for ${op.to} in ${op.tranches.length} tranche(s) until ${new Date(op.deadlineMs).toISOString()} (conditional payment ${op.payment})`,
}).resolve(resolve).define({
  checks: [
    {
      code: 'participant_not_found', field: 'tranches',
      fails: (env) => env.named.some((n) => n.participant === undefined),
      explain: (env) => { const missing = env.named.find((n) => n.participant === undefined)!; return `no participant ${JSON.stringify(missing.id)} (named as ${missing.as})`; },
    },
    legsExist(),
    mustBeNew('payment', 'conditional payment', (env) => env.existing),
    allAmountChecks(),
    {
      code: 'invalid_deadline', field: 'deadlineMs',
      fails: (_env, op, ctx) => op.deadlineMs <= ctx.blockTimeMs || op.deadlineMs > ctx.blockTimeMs + CONDITIONAL_DURATION_MAX_MS,
      explain: (_env, op) => `deadlineMs ${op.deadlineMs} must be in the future and at most 400 days ahead`,
    },
    { code: 'invalid_conditions', field: 'tranches', fails: (env, op) => conditionsProblem(env, op) !== null, explain: (env, op) => conditionsProblem(env, op)! },
    sameAsset(),
    payerConsents(),
    {
      code: 'attester_not_registered', field: 'tranches',
      fails: (env) => env.named.some((n) => n.as === 'attester' && !hasRole(n.participant, 'attester')),
      explain: (env) => `${env.named.find((n) => n.as === 'attester' && !hasRole(n.participant, 'attester'))!.id} is not a registered attester`,
    },
    movementChecks((env) => [env.payer!, env.payee!], (env) => env.asset!),
    payerHasFunds(),
  ],
  apply: (ctx, op, env) => {
    const payer = env.payer!;
    const asset = env.asset!;
    holdOnPayer(ctx.draft, payer, env.minor);
    const tranches = tranchesOf(op, env);
    ctx.draft.put('conditional_payments', op.payment, {
      id: op.payment, asset: asset.id, payer: payer.id, payee: op.to, amountMinor: env.minor, deadlineMs: op.deadlineMs,
      autoRelease: op.autoRelease ?? false, arbiter: op.arbiter ?? null, disputedBy: null, status: 'active', tranches, awardedMinor: 0n,
    });
    const named = [...new Set(env.named.map((n) => n.id))];
    const event = conditionalCreated.of({
      payment: op.payment, from: payer.id, to: op.to, asset: asset.id, amount: formatAmount(env.minor, asset.decimals), deadlineMs: op.deadlineMs,
      tranches: tranches.map((t) => ({ tranche: t.id, amount: formatAmount(t.amountMinor, asset.decimals) })),
    }, { accounts: [payer.id, op.to], participants: named });
    // A tranche with no condition (a share paid on signing) is paid at once when release is automatic.
    return [withBalances(ctx.draft, event), ...releaseDue(ctx.draft, op.payment, ctx.blockTimeMs)];
  },
  parties: (op, lookup) => [lookup.ownerOf(op.from), lookup.ownerOf(op.to), ...op.tranches.flatMap((t) => [...(t.approvers ?? []), ...(t.attestations ?? []).map((a) => a.attester)]), op.arbiter],
  accounts: (op) => [op.from, op.to],
  debits: (_op, env) => [{ account: env.payer!, minor: env.minor, to: env.payee }],
});
