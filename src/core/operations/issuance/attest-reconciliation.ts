import { Type } from 'typebox';
import { formatAmount, parseAmount, type AmountParse } from '../../amount.js';
import { allowanceKey, type Asset } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation, type OperationContext } from '../../operation.js';
import { Amount, Hex32, Id, Reference, TimeMs } from '../../schema.js';
import { amountChecks, amountIn, hasRole, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

const BREAKS_MAX = 1_000_000_000;

/** A balance as a bank states it: an amount, negative when the account is overdrawn (a debit balance). */
const SignedAmount = Type.String({ pattern: '^-?(0|[1-9][0-9]{0,37})(\\.[0-9]{1,18})?$', description: 'decimal amount, with a leading - for a debit balance' });

export const reconciliationAttested = defineEvent('reconciliation_attested', "an issuer attested how a bank statement of its omnibus account stands against the token's supply at the statement's cut-off", Type.Object({
  asset: Id, statement: Reference, statementHash: Hex32, cutoffMs: TimeMs, statementBalance: Type.String(), supply: Amount,
  creditsInTransit: Amount, payoutsInTransit: Amount, breaks: Type.Integer(), reconciled: Type.Boolean(), supplyAtAttestation: Amount, attestedBy: Id,
}));

function signedAmountIn(text: string, asset: Asset | undefined): AmountParse | undefined {
  if (asset === undefined) return undefined;
  const negative = text.startsWith('-');
  const parsed = parseAmount(negative ? text.slice(1) : text, asset.decimals);
  return parsed.ok && negative ? { ...parsed, minor: -parsed.minor } : parsed;
}

/** The attester: the asset's issuer, or one of its minters still holding the issuer role (a core-banking link minting for it). */
function attester(ctx: OperationContext, asset: Asset): string | undefined {
  if (ctx.signers.has(asset.issuer)) return asset.issuer;
  return [...ctx.signers].sort().find((signer) => ctx.draft.get('allowances', allowanceKey(asset.id, signer)) !== undefined && hasRole(ctx.draft.get('participants', signer), 'issuer'));
}

const minorOf = (parse: AmountParse | undefined): bigint => (parse?.ok === true ? parse.minor : 0n);

type Figures = { asset: Asset | undefined; balance: AmountParse | undefined; supply: AmountParse | undefined; creditsInTransit: AmountParse | undefined; payoutsInTransit: AmountParse | undefined };
const AMOUNT_FIELDS: readonly (readonly [string, (env: Figures) => AmountParse | undefined])[] = [
  ['statementBalance', (env) => env.balance], ['supply', (env) => env.supply], ['creditsInTransit', (env) => env.creditsInTransit], ['payoutsInTransit', (env) => env.payoutsInTransit],
];

/**
 * Records an issuer's reconciliation of one bank statement of its omnibus account: the
 * statement's balance, the supply at its cut-off, what was in transit each way (credits
 * the bank booked that are not yet minted, redemptions it has not yet paid out: both
 * still in the account) and how many breaks remain. Without breaks the figures must add up; the ledger adds the supply
 * it holds now. An auditor reads supply = deposits from the chain alone.
 */
export const attestReconciliation = operation({
  family: 'issuance',
  summary: "attest how a bank statement of the issuer's omnibus account stands against the token's supply",
  schema: Type.Object({
    type: Type.Literal('attest_reconciliation'), asset: Id, statement: Reference, statementHash: Hex32, cutoffMs: TimeMs,
    statementBalance: SignedAmount, supply: Amount, creditsInTransit: Amount, payoutsInTransit: Amount,
    breaks: Type.Integer({ minimum: 0, maximum: BREAKS_MAX }),
  }, { additionalProperties: false }),
  initiators: ['issuer'],
  consent: "the asset's issuer, or a minter of the asset (its core-banking link)",
  events: [reconciliationAttested],
  describe: (op) => `attest statement ${op.statement} of ${op.asset}: balance ${op.statementBalance}, supply ${op.supply}, ${op.breaks === 0 ? 'reconciled' : `${op.breaks} breaks`}`,
}).resolve((ctx, op): Figures => {
    const asset = ctx.draft.get('assets', op.asset);
    return {
      asset, balance: signedAmountIn(op.statementBalance, asset), supply: amountIn(op, 'supply', asset),
      creditsInTransit: amountIn(op, 'creditsInTransit', asset), payoutsInTransit: amountIn(op, 'payoutsInTransit', asset),
    };
  }).define({
  checks: [
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    // Every malformed amount before any too precise one: the codes' precedence.
    ...[0, 1].flatMap((which) => AMOUNT_FIELDS.map(([field, parsed]) => amountChecks(field, parsed, (env) => env.asset, 'allowed')[which]!)),
    {
      code: 'invalid_reconciliation', field: 'statementBalance',
      fails: (env, op) => op.breaks === 0 && minorOf(env.balance) !== minorOf(env.supply) + minorOf(env.creditsInTransit) + minorOf(env.payoutsInTransit),
      explain: (_env, op) => `with no breaks, ${op.statementBalance} should be ${op.supply} + ${op.creditsInTransit} + ${op.payoutsInTransit}`,
    },
    { code: 'not_authorized', field: 'asset', fails: (env, _op, ctx) => attester(ctx, env.asset!) === undefined, explain: (env) => `only ${env.asset!.issuer}, the issuer of ${env.asset!.id}, or one of its minters attests its reconciliations` },
  ],
  apply: (ctx, op, env) => {
    const asset = env.asset!;
    const by = attester(ctx, asset)!;
    const supplyNow = asset.issuedMinor - asset.redeemedMinor;
    const minor = { balance: minorOf(env.balance), supply: minorOf(env.supply), creditsInTransit: minorOf(env.creditsInTransit), payoutsInTransit: minorOf(env.payoutsInTransit) };
    ctx.draft.put('reconciliations', `${asset.id}/${op.statement}`, {
      asset: asset.id, statement: op.statement, statementHash: op.statementHash, cutoffMs: op.cutoffMs, statementBalanceMinor: minor.balance, supplyMinor: minor.supply,
      creditsInTransitMinor: minor.creditsInTransit, payoutsInTransitMinor: minor.payoutsInTransit, breaks: op.breaks, attestedBy: by, attestedAtMs: ctx.blockTimeMs, supplyAtAttestationMinor: supplyNow,
    });
    const amount = (value: bigint) => (value < 0n ? `-${formatAmount(-value, asset.decimals)}` : formatAmount(value, asset.decimals));
    return [withBalances(ctx.draft, reconciliationAttested.of({
      asset: asset.id, statement: op.statement, statementHash: op.statementHash, cutoffMs: op.cutoffMs, statementBalance: amount(minor.balance), supply: amount(minor.supply),
      creditsInTransit: amount(minor.creditsInTransit), payoutsInTransit: amount(minor.payoutsInTransit), breaks: op.breaks, reconciled: op.breaks === 0,
      supplyAtAttestation: amount(supplyNow), attestedBy: by,
    }, { participants: [asset.issuer, by] }))];
  },
  parties: (op, lookup) => [lookup.issuerOf(op.asset)],
  accounts: () => [],
});
