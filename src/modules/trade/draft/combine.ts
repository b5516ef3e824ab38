import { sha256Hex } from '../../../chain/index.js';
import type { Agreement } from '../agreement.js';
import { readChinese } from './chinese.js';
import { readEnglish } from './english.js';
import type { Fact, Trigger } from './facts.js';
import { languageOf, type Message } from './transcript.js';

/** A drafted field with the words it came from and how sure the reader is (1 stated outright, 0.3 assumed). */
export interface Sourced<T> {
  readonly value: T;
  readonly quote: string;
  readonly message: number | null;
  readonly confidence: number;
}

export interface GoodsLine { description: string; quantity: string; unit: string; unitPrice: string | null; hsCode?: string }

/** What the conversation says, field by field, before anyone is named on the ledger. */
export interface DraftFields {
  buyer?: Sourced<string>;
  seller?: Sourced<string>;
  currency?: Sourced<string>;
  settlementCurrency?: Sourced<string>;
  goods: Sourced<GoodsLine>[];
  incoterms?: Sourced<{ rule: string; place: string }>;
  deliveryDate?: Sourced<string>;
  milestones: Sourced<{ shareBp: number; trigger: Trigger }>[];
  disputeWindowDays?: Sourced<number>;
  arbiter?: Sourced<string>;
}

/** Who the speakers are on the ledger, and who attests what: the parties confirm these. */
export interface DraftOptions {
  /** The conversation's day (ISO): milestone deadlines count from it. */
  readonly today: string;
  readonly id?: string;
  readonly parties?: { readonly buyer?: { participant: string; account: string }; readonly seller?: { participant: string; account: string; settlementAccount?: string } };
  readonly attesters?: { readonly carrier?: string; readonly inspector?: string };
  readonly arbiter?: string;
}

export interface Draft {
  readonly language: 'en' | 'zh';
  readonly speakers: readonly string[];
  readonly fields: DraftFields;
  /** What the parties must still supply or confirm. */
  readonly missing: readonly string[];
  /** What the conversation says two ways, unresolved. */
  readonly contradictions: readonly string[];
  /** The agreement to review and sign, when nothing is missing; else null. */
  readonly agreement: Agreement | null;
}

const stated = <T>(value: T, fact: Fact, confidence = 0.9): Sourced<T> => ({ value, quote: fact.quote, message: fact.message, confidence });
const assumed = <T>(value: T, why: string): Sourced<T> => ({ value, quote: why, message: null, confidence: 0.3 });

/** Every fact of every message, in order. */
export function factsOf(messages: readonly Message[], language: 'en' | 'zh'): Fact[] {
  const read = language === 'zh' ? readChinese : readEnglish;
  return messages.flatMap((m) => read(m.text).map((f) => ({ ...f, message: m.index, speaker: m.speaker }) as Fact));
}

/** Whether someone other than `speaker` agreed after message `index`. */
const agreedAfter = (facts: readonly Fact[], index: number, speaker: string) => facts.some((f) => f.kind === 'agree' && f.message > index && f.speaker !== speaker);

function last<K extends Fact['kind']>(facts: readonly Fact[], kind: K): Extract<Fact, { kind: K }> | undefined {
  return facts.filter((f): f is Extract<Fact, { kind: K }> => f.kind === kind).at(-1);
}

function roles(facts: readonly Fact[], speakers: readonly string[]): Pick<DraftFields, 'buyer' | 'seller'> {
  const buyerFact = facts.find((f) => f.kind === 'role' && f.role === 'buyer');
  const sellerFact = facts.find((f) => f.kind === 'role' && f.role === 'seller' && f.speaker !== buyerFact?.speaker);
  const other = (one: string) => (speakers.length === 2 ? speakers.find((s) => s !== one) : undefined);
  const buyer = buyerFact !== undefined ? stated(buyerFact.speaker, buyerFact) : sellerFact !== undefined && other(sellerFact.speaker) !== undefined ? { ...stated(other(sellerFact.speaker)!, sellerFact, 0.6) } : undefined;
  const seller = sellerFact !== undefined ? stated(sellerFact.speaker, sellerFact) : buyerFact !== undefined && other(buyerFact.speaker) !== undefined ? { ...stated(other(buyerFact.speaker)!, buyerFact, 0.6) } : undefined;
  return { ...(buyer !== undefined && { buyer }), ...(seller !== undefined && { seller }) };
}

/** Goods lines, each priced by a price in its message or, with one line, by the last price named: a negotiation ends on the price both keep. */
function goods(facts: readonly Fact[], contradictions: string[]): Sourced<GoodsLine>[] {
  const lines = new Map<string, { line: Sourced<GoodsLine>; fact: Fact }>();
  const prices = facts.filter((f): f is Extract<Fact, { kind: 'price' }> => f.kind === 'price');
  for (const fact of facts) {
    if (fact.kind !== 'line') continue;
    const key = fact.description.toLowerCase();
    const before = lines.get(key);
    if (before !== undefined && before.line.value.quantity !== fact.quantity) {
      if (!agreedAfter(facts, fact.message, fact.speaker)) contradictions.push(`quantity of ${fact.description}: ${before.line.value.quantity} ("${before.fact.quote}") then ${fact.quantity} ("${fact.quote}"), not confirmed`);
    }
    const price = prices.find((p) => p.message === fact.message);
    lines.set(key, { line: stated({ description: fact.description, quantity: fact.quantity, unit: fact.unit, unitPrice: price?.unitPrice ?? before?.line.value.unitPrice ?? null }, fact), fact });
  }
  const all = [...lines.values()];
  if (all.length === 1 && prices.length > 0) {
    const final = prices.at(-1)!;
    const entry = all[0]!;
    const distinct = [...new Set(prices.map((p) => p.unitPrice))];
    if (distinct.length > 1 && !agreedAfter(facts, final.message, final.speaker)) contradictions.push(`unit price: ${distinct.join(', ')} were named; the last (${final.unitPrice}, "${final.quote}") is not confirmed by the other party`);
    entry.line = { ...entry.line, value: { ...entry.line.value, unitPrice: final.unitPrice }, confidence: agreedAfter(facts, final.message, final.speaker) || distinct.length === 1 ? 0.9 : 0.6 };
  }
  const hs = last(facts, 'hs');
  if (hs !== undefined && all.length > 0) all[0]!.line = { ...all[0]!.line, value: { ...all[0]!.line.value, hsCode: hs.code.replace(/\./g, '') } };
  return all.map((entry) => entry.line);
}

/** Milestones: the last message that names shares adding up to 100%, else the latest share per trigger. */
function milestones(facts: readonly Fact[], contradictions: string[]): Sourced<{ shareBp: number; trigger: Trigger }>[] {
  const all = facts.filter((f): f is Extract<Fact, { kind: 'milestone' }> => f.kind === 'milestone');
  const byMessage = new Map<number, typeof all>();
  for (const f of all) byMessage.set(f.message, [...(byMessage.get(f.message) ?? []), f]);
  const complete = [...byMessage.values()].reverse().find((set) => set.reduce((sum, f) => sum + f.shareBp, 0) === 10_000);
  const latest = new Map<Trigger, Extract<Fact, { kind: 'milestone' }>>();
  for (const f of all) latest.set(f.trigger, f);
  const chosen = complete ?? [...latest.values()];
  const order: Trigger[] = ['signing', 'shipment', 'inspection', 'delivery'];
  const sum = chosen.reduce((s, f) => s + f.shareBp, 0);
  if (chosen.length > 0 && sum !== 10_000) contradictions.push(`the payment terms add up to ${sum / 100}%, not 100%`);
  return [...chosen].sort((a, b) => order.indexOf(a.trigger) - order.indexOf(b.trigger)).map((f) => stated({ shareBp: f.shareBp, trigger: f.trigger }, f));
}

function singleValued<K extends 'incoterms' | 'delivery' | 'dispute' | 'arbiter' | 'settlement_currency'>(facts: readonly Fact[], kind: K, show: (f: Extract<Fact, { kind: K }>) => string, what: string, contradictions: string[]): Extract<Fact, { kind: K }> | undefined {
  const found = facts.filter((f): f is Extract<Fact, { kind: K }> => f.kind === kind);
  const final = found.at(-1);
  const where = final as Fact | undefined;
  if (where !== undefined && new Set(found.map(show)).size > 1 && !agreedAfter(facts, where.message, where.speaker)) contradictions.push(`${what}: ${[...new Set(found.map(show))].join(', ')} were named; the last is not confirmed`);
  return final;
}

const DAY_MS = 86_400_000;
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** What an offline reading of the conversation finds: fields and contradictions. */
export function readFields(messages: readonly Message[]): { language: 'en' | 'zh'; fields: DraftFields; contradictions: string[] } {
  const language = languageOf(messages);
  const facts = factsOf(messages, language);
  const speakers = [...new Set(messages.map((m) => m.speaker))];
  const contradictions: string[] = [];
  const fields: DraftFields = { ...roles(facts, speakers), goods: goods(facts, contradictions), milestones: milestones(facts, contradictions) };
  const priceCurrency = facts.filter((f): f is Extract<Fact, { kind: 'price' }> => f.kind === 'price' && f.currency !== null).at(-1);
  const currencyFact = last(facts, 'currency');
  if (priceCurrency !== undefined) fields.currency = stated(priceCurrency.currency!, priceCurrency);
  else if (currencyFact !== undefined) fields.currency = stated(currencyFact.currency, currencyFact, 0.6);
  const settlement = singleValued(facts, 'settlement_currency', (f) => f.currency, 'settlement currency', contradictions);
  if (settlement !== undefined && settlement.currency !== fields.currency?.value) fields.settlementCurrency = stated(settlement.currency, settlement);
  const incoterms = singleValued(facts, 'incoterms', (f) => `${f.rule} ${f.place}`, 'Incoterms', contradictions);
  if (incoterms !== undefined) fields.incoterms = stated({ rule: incoterms.rule, place: incoterms.place }, incoterms);
  const delivery = singleValued(facts, 'delivery', (f) => f.date, 'delivery date', contradictions);
  // Under most Incoterms the goods are delivered when shipped: a ship-by date stands in for a delivery date not given.
  const shipBy = last(facts, 'shipment_date');
  if (delivery !== undefined) fields.deliveryDate = stated(delivery.date, delivery);
  else if (shipBy !== undefined) fields.deliveryDate = stated(shipBy.date, shipBy, 0.6);
  const dispute = singleValued(facts, 'dispute', (f) => String(f.days), 'dispute window', contradictions);
  fields.disputeWindowDays = dispute !== undefined ? stated(dispute.days, dispute) : assumed(14, 'not discussed: 14 days assumed');
  const arbiter = singleValued(facts, 'arbiter', (f) => f.name, 'arbiter', contradictions);
  if (arbiter !== undefined) fields.arbiter = stated(arbiter.name, arbiter);
  return { language, fields, contradictions };
}

/** Reads a conversation into a proposed agreement: fields with their sources, what is missing, what is contradictory. */
export function draftAgreement(messages: readonly Message[], options: DraftOptions): Draft {
  const { language, fields, contradictions } = readFields(messages);
  return completeDraft(messages, language, fields, contradictions, options);
}

/** Fields (read offline or by a language model) made a proposal: what is missing, and the agreement once nothing is. */
export function completeDraft(messages: readonly Message[], language: 'en' | 'zh', fields: DraftFields, contradictions: readonly string[], options: DraftOptions): Draft {
  const speakers = [...new Set(messages.map((m) => m.speaker))];
  const missing: string[] = [];
  if (fields.buyer === undefined) missing.push('who buys (no speaker says they want to buy or order)');
  if (fields.seller === undefined) missing.push('who sells (no speaker offers to supply)');
  if (fields.goods.length === 0) missing.push('the goods: quantity, unit and description');
  for (const line of fields.goods) if (line.value.unitPrice === null) missing.push(`the unit price of ${line.value.description}`);
  if (fields.currency === undefined) missing.push('the currency of the price');
  if (fields.incoterms === undefined) missing.push('the Incoterms rule and named place');
  if (fields.deliveryDate === undefined) missing.push('the delivery date');
  if (fields.milestones.length === 0) missing.push('the payment terms (milestones with their shares)');
  const parties = options.parties ?? {};
  if (parties.buyer === undefined) missing.push(`the buyer's participant and paying account on the ledger${fields.buyer === undefined ? '' : ` (${fields.buyer.value})`}`);
  if (parties.seller === undefined) missing.push(`the seller's participant and receiving account on the ledger${fields.seller === undefined ? '' : ` (${fields.seller.value})`}`);
  if (parties.seller !== undefined && fields.settlementCurrency !== undefined && parties.seller.settlementAccount === undefined) missing.push(`the seller's account in ${fields.settlementCurrency.value}, where each release is converted to`);
  const needs = new Set(fields.milestones.map((m) => m.value.trigger));
  if (needs.has('shipment') && options.attesters?.carrier === undefined) missing.push('the carrier that attests the bill of lading (a participant with the attester role)');
  if (needs.has('inspection') && options.attesters?.inspector === undefined) missing.push('the inspector that attests the inspection certificate (a participant with the attester role)');
  if (fields.arbiter !== undefined && options.arbiter === undefined) missing.push(`the arbiter's participant on the ledger (${fields.arbiter.value})`);

  const complete = missing.length === 0 && contradictions.length === 0;
  const agreement: Agreement | null = !complete ? null : {
    id: options.id ?? `trade-${sha256Hex(JSON.stringify(messages)).slice(0, 12)}`,
    version: 1, buyer: parties.buyer!, seller: fields.settlementCurrency === undefined ? { participant: parties.seller!.participant, account: parties.seller!.account } : parties.seller!, currency: fields.currency!.value,
    ...(fields.settlementCurrency !== undefined && { settlementCurrency: fields.settlementCurrency.value }),
    goods: fields.goods.map((g) => ({ description: g.value.description, ...(g.value.hsCode !== undefined && { hsCode: g.value.hsCode }), quantity: g.value.quantity, unit: g.value.unit, unitPrice: g.value.unitPrice! })),
    incoterms: { rule: fields.incoterms!.value.rule as Agreement['incoterms']['rule'], place: fields.incoterms!.value.place },
    deliveryDate: fields.deliveryDate!.value,
    milestones: fields.milestones.map((m) => ({
      id: m.value.trigger, shareBp: m.value.shareBp,
      evidence: m.value.trigger === 'signing' ? { kind: 'signing' as const } : m.value.trigger === 'shipment' ? { kind: 'attestation' as const, attester: options.attesters!.carrier!, documentType: 'bill_of_lading' }
        : m.value.trigger === 'inspection' ? { kind: 'attestation' as const, attester: options.attesters!.inspector!, documentType: 'inspection_certificate' } : { kind: 'acceptance' as const },
      deadline: m.value.trigger === 'signing' ? addDays(options.today, 7) : m.value.trigger === 'shipment' ? fields.deliveryDate!.value : addDays(fields.deliveryDate!.value, 14),
    })),
    disputeWindowDays: fields.disputeWindowDays?.value ?? 14,
    ...(options.arbiter !== undefined && { arbiter: options.arbiter }),
  };
  return { language, speakers, fields, missing, contradictions: [...contradictions], agreement };
}
