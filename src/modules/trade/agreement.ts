import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { canonicalJson, sha256Hex } from '../../chain/index.js';
import { formatAmount, parseAmount, type Operation } from '../../core/index.js';
import { parseQueryTime } from '../../node/query-time.js';

/** Incoterms 2020: the seven rules for any mode of transport and the four for sea and inland waterway only. */
export const INCOTERMS_2020 = { EXW: 'any', FCA: 'any', CPT: 'any', CIP: 'any', DAP: 'any', DPU: 'any', DDP: 'any', FAS: 'sea', FOB: 'sea', CFR: 'sea', CIF: 'sea' } as const;
export type Incoterm = keyof typeof INCOTERMS_2020;

const closed = { additionalProperties: false } as const;
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
const Decimal = Type.String({ pattern: '^(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$', description: 'a decimal with a point, no separators' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Words = (max: number) => Type.String({ minLength: 1, maxLength: max });

/** What releases a milestone's share: the signed agreement itself, a registered attester's document, or the buyer's acceptance. */
export const Evidence = Type.Union([
  Type.Object({ kind: Type.Literal('signing') }, closed),
  Type.Object({ kind: Type.Literal('attestation'), attester: Id, documentType: Id }, closed),
  Type.Object({ kind: Type.Literal('acceptance') }, closed),
]);

export const AgreementSchema = Type.Object({
  id: Id,
  version: Type.Integer({ minimum: 1, maximum: 1000 }),
  buyer: Type.Object({ participant: Id, account: Id }, closed),
  /** `settlementAccount`: where the seller is paid in `settlementCurrency`, when it wants another currency than the price's. */
  seller: Type.Object({ participant: Id, account: Id, settlementAccount: Type.Optional(Id) }, closed),
  /** A B2B platform acting for its members (a delegate of both), if any. */
  platform: Type.Optional(Id),
  /** The currency of the price; the seller may want another (`settlementCurrency`), paid through a liquidity provider at each release. */
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  settlementCurrency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  goods: Type.Array(Type.Object({
    description: Words(500), hsCode: Type.Optional(Type.String({ pattern: '^[0-9]{4}(\\.?[0-9]{2}){0,3}$' })),
    quantity: Decimal, unit: Words(20), unitPrice: Decimal,
  }, closed), { minItems: 1, maxItems: 100 }),
  incoterms: Type.Object({ rule: Type.Unsafe<Incoterm>({ type: 'string', enum: Object.keys(INCOTERMS_2020) }), place: Words(200) }, closed),
  deliveryDate: Type.Optional(Day),
  milestones: Type.Array(Type.Object({ id: Id, shareBp: Type.Integer({ minimum: 1, maximum: 10_000 }), evidence: Evidence, deadline: Day }, closed), { minItems: 1, maxItems: 16 }),
  disputeWindowDays: Type.Integer({ minimum: 0, maximum: 180 }),
  arbiter: Type.Optional(Id),
}, closed);
export type Agreement = Static<typeof AgreementSchema>;

/** Whether a value is an agreement (the CLI checks a file before proposing it). */
export const isAgreement = (value: unknown): value is Agreement => Value.Check(AgreementSchema, value);

const DAY_MS = 86_400_000;

/** What makes an agreement unusable, in words; empty when it can be signed. */
export function agreementProblems(agreement: Agreement, decimals: number): string[] {
  const problems: string[] = [];
  const shares = agreement.milestones.reduce((sum, m) => sum + m.shareBp, 0);
  if (shares !== 10_000) problems.push(`the milestones' shares add up to ${shares / 100}%, not 100%`);
  const ids = agreement.milestones.map((m) => m.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) problems.push(`milestone "${repeated}" is named twice`);
  if (agreement.buyer.participant === agreement.seller.participant) problems.push('the buyer and the seller are the same participant');
  if (agreement.arbiter !== undefined && [agreement.buyer.participant, agreement.seller.participant].includes(agreement.arbiter)) problems.push('the arbiter is a party');
  const total = totalMinor(agreement, decimals);
  if (total === null) problems.push(`a line's total has more than ${decimals} decimals of ${agreement.currency}, or none is given`);
  else if (total === 0n) problems.push('the goods come to nothing');
  const days = agreement.milestones.map((m) => parseQueryTime(m.deadline) ?? Number.NaN);
  if (days.some((d) => Number.isNaN(d))) problems.push('a milestone deadline is not a date');
  if (agreement.deliveryDate !== undefined && parseQueryTime(agreement.deliveryDate) === null) problems.push('the delivery date is not a date');
  for (let i = 1; i < days.length; i += 1) if (days[i]! < days[i - 1]!) problems.push(`milestone "${ids[i]}" falls due before "${ids[i - 1]}"`);
  if (agreement.settlementCurrency === agreement.currency) problems.push('the settlement currency is the price currency: leave it out');
  if ((agreement.settlementCurrency === undefined) !== (agreement.seller.settlementAccount === undefined)) problems.push("a settlement currency needs the seller's account in it, and only then");
  return problems;
}

/** Σ quantity × unit price, exact, in minor units of the price currency; null when a line is finer than the currency allows. */
export function totalMinor(agreement: Agreement, decimals: number): bigint | null {
  let total = 0n;
  for (const line of agreement.goods) {
    const quantity = parseAmount(line.quantity, 6);
    const price = parseAmount(line.unitPrice, 6);
    if (!quantity.ok || !price.ok) return null;
    // Both at six places: the product at twelve, brought to the currency's scale only if exact.
    const product = quantity.minor * price.minor;
    const divisor = 10n ** BigInt(12 - decimals);
    if (product % divisor !== 0n) return null;
    total += product / divisor;
  }
  return total;
}

/** The agreement's SHA-256 over its canonical JSON (RFC 8785): what both parties sign on the chain. */
export function agreementHash(agreement: Agreement): string {
  return sha256Hex(canonicalJson(agreement));
}

/** Each milestone's amount in minor units: its share of the total, the last taking what rounding left. */
export function milestoneAmounts(agreement: Agreement, total: bigint): bigint[] {
  let left = total;
  return agreement.milestones.map((m, i) => {
    const amount = i === agreement.milestones.length - 1 ? left : (total * BigInt(m.shareBp)) / 10_000n;
    left -= amount;
    return amount;
  });
}

/**
 * The signed agreement as the core's primitive: one conditional payment from the buyer's
 * account to the seller's (or, in two currencies, to the account the FX legs settle from),
 * one tranche per milestone, released automatically as its evidence arrives; returned to the
 * buyer at the last deadline plus the dispute window; the arbiter decides a dispute.
 */
export function compileAgreement(agreement: Agreement, options: { payment: string; decimals: number; payee?: string }): Extract<Operation, { type: 'conditional_payment' }> {
  const total = totalMinor(agreement, options.decimals);
  if (total === null || total === 0n) throw new Error('the agreement has no payable total');
  const amounts = milestoneAmounts(agreement, total);
  const last = agreement.milestones.at(-1)!;
  const deadlineMs = Date.parse(`${last.deadline}T00:00:00Z`) + DAY_MS + agreement.disputeWindowDays * DAY_MS;
  return {
    type: 'conditional_payment', payment: options.payment, from: agreement.buyer.account, to: options.payee ?? agreement.seller.account,
    amount: formatAmount(total, options.decimals), deadlineMs, autoRelease: true,
    ...(agreement.arbiter !== undefined && { arbiter: agreement.arbiter }),
    tranches: agreement.milestones.map((m, i) => ({
      tranche: m.id, amount: formatAmount(amounts[i]!, options.decimals),
      ...(m.evidence.kind === 'attestation' && { attestations: [{ attester: m.evidence.attester, documentType: m.evidence.documentType }] }),
      ...(m.evidence.kind === 'acceptance' && { approvers: [agreement.buyer.participant] }),
    })),
  };
}

/** The FX leg of one release: a settlement (PvP) between the seller and a liquidity provider, its id derived from the payment and the tranche. */
export const fxSettlementId = (payment: string, tranche: string) => `${payment}-${tranche}-fx`;

/**
 * What a liquidity provider pays the seller for `minor` of the price currency at `rate`
 * (settlement currency per unit, up to 8 places), rounded down to the settlement currency's
 * minor units: exact, never in the provider's favour by more than a minor unit.
 */
export function converted(minor: bigint, fromDecimals: number, rate: string, toDecimals: number): bigint {
  const parsed = parseAmount(rate, 8);
  if (!parsed.ok || parsed.minor === 0n) throw new Error(`"${rate}" is not a rate (a positive decimal, at most 8 places)`);
  return (minor * parsed.minor * 10n ** BigInt(toDecimals)) / (10n ** 8n * 10n ** BigInt(fromDecimals));
}
