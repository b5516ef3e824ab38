import { Type } from 'typebox';
import { parseAmount, type AmountParse } from '../../amount.js';
import type { Account, Asset, Participant } from '../../entities/index.js';
import { operation, type OperationContext } from '../../operation.js';
import { Amount, Id, TimeMs } from '../../schema.js';
import { actsFor, mustBeNew } from '../checks.js';
import { HOLD_DURATION_MAX_MS } from '../holds/hold.js';
import { settlementProposed } from './events.js';
import { legAccounts, legData } from './resolution.js';

export const LEGS_MAX = 16;
export const SETTLERS_MAX = 8;

type LegSpec = { from: string; to: string; amount: string };

interface ProposeEnv {
  existing: unknown;
  settlers: { id: string; participant: Participant | undefined }[];
  legs: { from: Account | undefined; to: Account | undefined; asset: Asset | undefined; amount: AmountParse | undefined }[];
}

function resolve(ctx: OperationContext, op: { settlement: string; legs: LegSpec[]; settlers?: string[] }): ProposeEnv {
  return {
    existing: ctx.draft.get('settlements', op.settlement),
    settlers: (op.settlers ?? []).map((id) => ({ id, participant: ctx.draft.get('participants', id) })),
    legs: op.legs.map((spec) => {
      const from = ctx.draft.get('accounts', spec.from);
      const asset = from === undefined ? undefined : ctx.draft.get('assets', from.asset);
      return { from, to: ctx.draft.get('accounts', spec.to), asset, amount: asset === undefined ? undefined : parseAmount(spec.amount, asset.decimals) };
    }),
  };
}

const firstLeg = (env: ProposeEnv, test: (leg: ProposeEnv['legs'][number]) => boolean) => env.legs.findIndex(test);
const invalidAmount = (leg: ProposeEnv['legs'][number]) => leg.amount !== undefined && (leg.amount.ok ? leg.amount.minor === 0n : leg.amount.reason !== 'precision');
const tooPrecise = (leg: ProposeEnv['legs'][number]) => leg.amount !== undefined && !leg.amount.ok && leg.amount.reason === 'precision';

function conditionsProblem(op: { legs: LegSpec[]; settlers?: string[] }): string | null {
  const same = op.legs.findIndex((leg) => leg.from === leg.to);
  if (same !== -1) return `leg ${same} pays ${op.legs[same]!.from} to itself`;
  if (new Set(op.settlers ?? []).size !== (op.settlers ?? []).length) return 'a settler is named twice';
  return null;
}

/** Proposes legs to settle together: DvP (a security against cash), PvP (two currencies), cross-issuer at par. */
export const proposeSettlement = operation({
  family: 'settlement',
  summary: 'propose legs that settle together or not at all (DvP, PvP, cross-issuer), each to be allocated by its sender and approved by its receiver',
  schema: Type.Object({
    type: Type.Literal('propose_settlement'), settlement: Id,
    legs: Type.Array(Type.Object({ from: Id, to: Id, amount: Amount }, { additionalProperties: false }), { minItems: 2, maxItems: LEGS_MAX }),
    deadlineMs: { ...TimeMs, description: 'if not settled by then, every allocation returns to its sender' },
    settlers: Type.Optional(Type.Array(Id, { maxItems: SETTLERS_MAX, description: 'who may settle once everyone consented (default: any party to it)' })),
  }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the owner of an account one of the legs names (or a delegate)',
  events: [settlementProposed],
  // Formats a time the operation carries; no clock is read.
  // eslint-disable-next-line no-restricted-globals
  describe: (op) => `propose settlement ${op.settlement}: ${op.legs.map((leg) => `${leg.amount} ${leg.from} → ${leg.to}`).join(', ')}, by ${new Date(op.deadlineMs).toISOString()}`,
}).resolve(resolve).define({
  checks: [
    { code: 'participant_not_found', field: 'settlers', fails: (env) => env.settlers.some((s) => s.participant === undefined), explain: (env) => `no participant ${JSON.stringify(env.settlers.find((s) => s.participant === undefined)!.id)} (named as settler)` },
    { code: 'account_not_found', field: 'legs', fails: (env) => firstLeg(env, (leg) => leg.from === undefined || leg.to === undefined) !== -1, explain: (env, op) => { const i = firstLeg(env, (leg) => leg.from === undefined || leg.to === undefined); return `no account ${JSON.stringify(env.legs[i]!.from === undefined ? op.legs[i]!.from : op.legs[i]!.to)} (leg ${i})`; } },
    mustBeNew('settlement', 'settlement', (env) => env.existing),
    { code: 'invalid_amount', field: 'legs', fails: (env) => firstLeg(env, invalidAmount) !== -1, explain: (env, op) => `leg ${firstLeg(env, invalidAmount)}'s amount ${JSON.stringify(op.legs[firstLeg(env, invalidAmount)]!.amount)} is zero or not a decimal such as "1000.00"` },
    { code: 'amount_too_precise', field: 'legs', fails: (env) => firstLeg(env, tooPrecise) !== -1, explain: (env) => { const leg = env.legs[firstLeg(env, tooPrecise)]!; return `leg ${firstLeg(env, tooPrecise)} has more decimals than ${leg.asset!.id} allows (${leg.asset!.decimals})`; } },
    { code: 'invalid_deadline', field: 'deadlineMs', fails: (_env, op, ctx) => op.deadlineMs <= ctx.blockTimeMs || op.deadlineMs > ctx.blockTimeMs + HOLD_DURATION_MAX_MS, explain: (_env, op) => `deadlineMs ${op.deadlineMs} must be in the future and at most 90 days ahead` },
    { code: 'invalid_conditions', field: 'legs', fails: (_env, op) => conditionsProblem(op) !== null, explain: (_env, op) => conditionsProblem(op)! },
    { code: 'asset_mismatch', field: 'legs', fails: (env) => firstLeg(env, (leg) => leg.from!.asset !== leg.to!.asset) !== -1, explain: (env) => { const i = firstLeg(env, (leg) => leg.from!.asset !== leg.to!.asset); return `leg ${i}: ${env.legs[i]!.from!.id} holds ${env.legs[i]!.from!.asset}, ${env.legs[i]!.to!.id} holds ${env.legs[i]!.to!.asset}`; } },
    { code: 'not_authorized', fails: (env, _op, ctx) => !env.legs.some((leg) => actsFor(ctx, leg.from!.owner) || actsFor(ctx, leg.to!.owner)), explain: (_env, _op, ctx) => `${ctx.sender.id} owns none of the accounts the legs name` },
  ],
  apply: (ctx, op, env) => {
    const settlement = {
      id: op.settlement, proposer: ctx.sender.id, settlers: op.settlers ?? [], deadlineMs: op.deadlineMs, status: 'proposed' as const,
      legs: env.legs.map((leg) => ({ from: leg.from!.id, to: leg.to!.id, asset: leg.asset!.id, amountMinor: (leg.amount as Extract<AmountParse, { ok: true }>).minor, allocated: false, approved: false })),
    };
    ctx.draft.put('settlements', op.settlement, settlement);
    const event = settlementProposed.of({ settlement: op.settlement, proposer: ctx.sender.id, deadlineMs: op.deadlineMs, legs: legData(ctx.draft, settlement) }, { accounts: legAccounts(settlement), participants: settlement.settlers });
    return [{ event, balances: [] }];
  },
  parties: (op, lookup) => [...op.legs.flatMap((leg) => [lookup.ownerOf(leg.from), lookup.ownerOf(leg.to)]), ...(op.settlers ?? [])],
  accounts: (op) => op.legs.flatMap((leg) => [leg.from, leg.to]),
});
