import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { MessageError } from './xml.js';

/**
 * The messages the banking module sends the bank: a payout as a pacs.008 (interbank) or
 * a pain.001 (to the bank's own payment engine), and a pacs.004 returning a credit that
 * cannot be minted. Built from plain data with fast-xml-parser's builder (element order
 * is the order of the object's keys, which follows the XSD), checked field by field
 * before anything is written; the caller validates the result against the official XSD.
 */

/** Structured, as CBPR+ requires from November 2026 for cross-border payments: town and country at least. */
export interface PostalAddress {
  readonly street?: string;
  readonly buildingNumber?: string;
  readonly postCode?: string;
  readonly town: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

export interface PartyWithAccount {
  readonly name: string;
  readonly address: PostalAddress;
  /** An IBAN, or the bank's own account number. */
  readonly account: string;
  /** The BIC of the bank holding the account. */
  readonly agentBic: string;
}

export interface CreditTransfer {
  readonly instructionId: string;
  readonly endToEndId: string;
  readonly uetr: string;
  /** A decimal string in the currency's unit, e.g. "1200.50". */
  readonly amount: string;
  readonly currency: string;
  /** YYYY-MM-DD. */
  readonly settlementDate: string;
  readonly debtor: PartyWithAccount;
  readonly creditor: PartyWithAccount;
  readonly remittance?: string;
}

export interface GroupHeader {
  readonly messageId: string;
  /** ISO 8601 date and time, e.g. 2026-11-22T16:00:00Z. */
  readonly createdAt: string;
}

const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const IBAN = /^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const AMOUNT = /^\d{1,13}(\.\d{1,5})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const UETR = /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/;

function check(ok: boolean, what: string): void {
  if (!ok) throw new MessageError(what);
}

/** ISO 20022's MaxNText: 1 to N characters. */
function text(value: string, max: number, what: string): string {
  check(value.length >= 1 && value.length <= max, `${what} must be 1 to ${max} characters: ${JSON.stringify(value)}`);
  return value;
}

function amount(value: string, currency: string, what: string): { '@Ccy': string; '#text': string } {
  check(AMOUNT.test(value) && /[1-9]/.test(value), `${what}: "${value}" is not a positive decimal amount`);
  check(CURRENCY.test(currency), `${what}: "${currency}" is not an ISO 4217 currency code`);
  return { '@Ccy': currency, '#text': value };
}

/**
 * A UETR (a version 4 UUID) derived from `seed`: the same payout always carries the same
 * UETR, so a message built again after a crash is recognisably the same payment.
 */
export function uetrFor(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The sum of decimal amounts, exactly (no float): for a control sum. */
export function sumAmounts(amounts: readonly string[]): string {
  const scale = Math.max(0, ...amounts.map((a) => a.split('.')[1]?.length ?? 0));
  const minor = amounts.reduce((sum, a) => {
    const [whole, fraction = ''] = a.split('.');
    return sum + BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
  }, 0n);
  const digits = minor.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function address(a: PostalAddress, what: string): Record<string, string> {
  check(a.town.trim() !== '' && COUNTRY.test(a.country), `${what}: a structured address needs a town and an ISO 3166 country (CBPR+ refuses unstructured-only addresses)`);
  return {
    ...(a.street !== undefined && { StrtNm: text(a.street, 70, `${what} street`) }),
    ...(a.buildingNumber !== undefined && { BldgNb: text(a.buildingNumber, 16, `${what} building number`) }),
    ...(a.postCode !== undefined && { PstCd: text(a.postCode, 16, `${what} post code`) }),
    TwnNm: text(a.town, 35, `${what} town`),
    Ctry: a.country,
  };
}

function party(p: PartyWithAccount, what: string) {
  return { Nm: text(p.name, 140, `${what} name`), PstlAdr: address(p.address, what) };
}

function account(p: PartyWithAccount, what: string) {
  return { Id: IBAN.test(p.account) ? { IBAN: p.account } : { Othr: { Id: text(p.account, 34, `${what} account`) } } };
}

function agent(p: PartyWithAccount, what: string) {
  check(BIC.test(p.agentBic), `${what} agent: "${p.agentBic}" is not a BIC`);
  return { FinInstnId: { BICFI: p.agentBic } };
}

function header(h: GroupHeader, count: number) {
  check(DATE_TIME.test(h.createdAt), `creation time "${h.createdAt}" is not an ISO 8601 date and time`);
  return { MsgId: text(h.messageId, 35, 'message id'), CreDtTm: h.createdAt, NbOfTxs: String(count) };
}

function checkTransfer(t: CreditTransfer): void {
  check(UETR.test(t.uetr), `UETR "${t.uetr}" is not a version 4 UUID`);
  check(DATE.test(t.settlementDate), `settlement date "${t.settlementDate}" is not YYYY-MM-DD`);
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, suppressEmptyNode: true });

function document(message: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ Document: { '@xmlns': `urn:iso:std:iso:20022:tech:xsd:${message}`, ...body } }) as string}`;
}

export type SettlementMethod = 'INDA' | 'INGA' | 'CLRG';
export type ChargeBearer = 'DEBT' | 'CRED' | 'SHAR' | 'SLEV';

/** pacs.008.001.09: the issuer bank pays redeemed funds to the client's account, bank to bank. */
export function buildPacs008(h: GroupHeader, transfers: readonly CreditTransfer[], options: { settlementMethod: SettlementMethod; chargeBearer: ChargeBearer }): string {
  check(transfers.length > 0, 'a pacs.008 carries at least one credit transfer');
  transfers.forEach(checkTransfer);
  return document('pacs.008.001.09', {
    FIToFICstmrCdtTrf: {
      GrpHdr: { ...header(h, transfers.length), SttlmInf: { SttlmMtd: options.settlementMethod } },
      CdtTrfTxInf: transfers.map((t) => ({
        PmtId: { InstrId: text(t.instructionId, 35, 'instruction id'), EndToEndId: text(t.endToEndId, 35, 'end-to-end id'), UETR: t.uetr },
        IntrBkSttlmAmt: amount(t.amount, t.currency, t.endToEndId),
        IntrBkSttlmDt: t.settlementDate,
        ChrgBr: options.chargeBearer,
        Dbtr: party(t.debtor, 'debtor'), DbtrAcct: account(t.debtor, 'debtor'), DbtrAgt: agent(t.debtor, 'debtor'),
        CdtrAgt: agent(t.creditor, 'creditor'), Cdtr: party(t.creditor, 'creditor'), CdtrAcct: account(t.creditor, 'creditor'),
        ...(t.remittance !== undefined && { RmtInf: { Ustrd: text(t.remittance, 140, 'remittance') } }),
      })),
    },
  });
}

/** pain.001.001.10: the same payouts handed to the bank's own payment engine, from one debtor account in one batch. */
export function buildPain001(h: GroupHeader, batch: { paymentInformationId: string; initiatingParty: string }, transfers: readonly CreditTransfer[]): string {
  check(transfers.length > 0, 'a pain.001 carries at least one credit transfer');
  transfers.forEach(checkTransfer);
  const [first] = transfers;
  check(transfers.every((t) => t.debtor.account === first!.debtor.account && t.settlementDate === first!.settlementDate), 'one pain.001 batch pays from one account on one date');
  const sum = sumAmounts(transfers.map((t) => t.amount));
  return document('pain.001.001.10', {
    CstmrCdtTrfInitn: {
      GrpHdr: { ...header(h, transfers.length), CtrlSum: sum, InitgPty: { Nm: text(batch.initiatingParty, 140, 'initiating party') } },
      PmtInf: {
        PmtInfId: text(batch.paymentInformationId, 35, 'payment information id'), PmtMtd: 'TRF', NbOfTxs: String(transfers.length), CtrlSum: sum,
        ReqdExctnDt: { Dt: first!.settlementDate },
        Dbtr: party(first!.debtor, 'debtor'), DbtrAcct: account(first!.debtor, 'debtor'), DbtrAgt: agent(first!.debtor, 'debtor'),
        CdtTrfTxInf: transfers.map((t) => ({
          PmtId: { InstrId: text(t.instructionId, 35, 'instruction id'), EndToEndId: text(t.endToEndId, 35, 'end-to-end id'), UETR: t.uetr },
          Amt: { InstdAmt: amount(t.amount, t.currency, t.endToEndId) },
          CdtrAgt: agent(t.creditor, 'creditor'), Cdtr: party(t.creditor, 'creditor'), CdtrAcct: account(t.creditor, 'creditor'),
          ...(t.remittance !== undefined && { RmtInf: { Ustrd: text(t.remittance, 140, 'remittance') } }),
        })),
      },
    },
  });
}

export interface PaymentReturn {
  readonly returnId: string;
  readonly original: { readonly messageId: string; readonly messageType: string; readonly endToEndId?: string; readonly uetr?: string };
  readonly amount: string;
  readonly currency: string;
  readonly settlementDate: string;
  /** An ExternalReturnReason1Code, e.g. AC04 (account closed), AM09 (wrong amount), NOAS (no answer). */
  readonly reason: string;
  readonly info?: string;
}

/** pacs.004.001.10: credits on the omnibus account that cannot be minted, returned to whoever sent them. */
export function buildPacs004(h: GroupHeader, returns: readonly PaymentReturn[], options: { settlementMethod: SettlementMethod }): string {
  check(returns.length > 0, 'a pacs.004 returns at least one payment');
  return document('pacs.004.001.10', {
    PmtRtr: {
      GrpHdr: { ...header(h, returns.length), SttlmInf: { SttlmMtd: options.settlementMethod } },
      TxInf: returns.map((r) => {
        check(DATE.test(r.settlementDate), `settlement date "${r.settlementDate}" is not YYYY-MM-DD`);
        check(/^[A-Z0-9]{4}$/.test(r.reason), `return reason "${r.reason}" is not a four-character ISO code`);
        check(r.original.uetr === undefined || UETR.test(r.original.uetr), `original UETR "${r.original.uetr ?? ''}" is not a version 4 UUID`);
        return {
          RtrId: text(r.returnId, 35, 'return id'),
          OrgnlGrpInf: { OrgnlMsgId: text(r.original.messageId, 35, 'original message id'), OrgnlMsgNmId: text(r.original.messageType, 35, 'original message type') },
          ...(r.original.endToEndId !== undefined && { OrgnlEndToEndId: text(r.original.endToEndId, 35, 'original end-to-end id') }),
          ...(r.original.uetr !== undefined && { OrgnlUETR: r.original.uetr }),
          RtrdIntrBkSttlmAmt: amount(r.amount, r.currency, r.returnId),
          IntrBkSttlmDt: r.settlementDate,
          RtrRsnInf: { Rsn: { Cd: r.reason }, ...(r.info !== undefined && { AddtlInf: text(r.info, 105, 'return information') }) },
        };
      }),
    },
  });
}
