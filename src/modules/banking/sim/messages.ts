import { XMLBuilder } from 'fast-xml-parser';

/**
 * What the simulated core sends the module, as a bank's core sends it: camt.054 credit
 * and debit notifications, camt.053 end-of-day statements (both .001.08) and pacs.002
 * status reports (.001.11), built with fast-xml-parser's builder in the XSDs' element
 * order. The tests validate each against the official XSD.
 */

export interface SimEntry {
  /** The bank's reference for the booking (AcctSvcrRef), unique per account. */
  readonly reference: string;
  readonly amount: string;
  readonly side: 'credit' | 'debit';
  /** YYYY-MM-DD. */
  readonly bookingDate: string;
  readonly endToEndId?: string;
  /** The other party: who paid in (credit) or was paid (debit). */
  readonly counterparty?: { readonly name: string; readonly account: string };
  readonly remittance?: string;
}

export interface SimAccount {
  readonly id: string;
  readonly currency: string;
  readonly bic: string;
}

export interface SimBalance {
  readonly type: 'OPBD' | 'ITBD' | 'CLBD';
  /** Signed: negative for a debit balance. */
  readonly amount: string;
  readonly date: string;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, suppressEmptyNode: true });

function document(message: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ Document: { '@xmlns': `urn:iso:std:iso:20022:tech:xsd:${message}`, ...body } }) as string}`;
}

const amount = (value: string, currency: string) => ({ '@Ccy': currency, '#text': value });
const otherId = (id: string) => ({ Id: { Othr: { Id: id } } });

function entry(e: SimEntry, currency: string): Record<string, unknown> {
  const party = e.counterparty === undefined ? undefined
    : e.side === 'credit'
      ? { Dbtr: { Pty: { Nm: e.counterparty.name } }, DbtrAcct: otherId(e.counterparty.account) }
      : { Cdtr: { Pty: { Nm: e.counterparty.name } }, CdtrAcct: otherId(e.counterparty.account) };
  return {
    NtryRef: e.reference,
    Amt: amount(e.amount, currency),
    CdtDbtInd: e.side === 'credit' ? 'CRDT' : 'DBIT',
    Sts: { Cd: 'BOOK' },
    BookgDt: { Dt: e.bookingDate },
    ValDt: { Dt: e.bookingDate },
    AcctSvcrRef: e.reference,
    BkTxCd: { Domn: { Cd: 'PMNT', Fmly: { Cd: e.side === 'credit' ? 'RCDT' : 'ICDT', SubFmlyCd: e.side === 'credit' ? 'BOOK' : 'XBCT' } } },
    NtryDtls: {
      TxDtls: {
        Refs: { AcctSvcrRef: e.reference, ...(e.endToEndId !== undefined && { EndToEndId: e.endToEndId }) },
        Amt: amount(e.amount, currency),
        CdtDbtInd: e.side === 'credit' ? 'CRDT' : 'DBIT',
        ...(party !== undefined && { RltdPties: party }),
        ...(e.remittance !== undefined && { RmtInf: { Ustrd: e.remittance } }),
      },
    },
  };
}

function account(a: SimAccount): Record<string, unknown> {
  return { ...otherId(a.id), Ccy: a.currency, Svcr: { FinInstnId: { BICFI: a.bic } } };
}

/** A camt.054 notifying the entries just booked on `account`. */
export function buildCamt054(messageId: string, createdAt: string, a: SimAccount, entries: readonly SimEntry[]): string {
  return document('camt.054.001.08', {
    BkToCstmrDbtCdtNtfctn: {
      GrpHdr: { MsgId: messageId, CreDtTm: createdAt },
      Ntfctn: { Id: messageId, CreDtTm: createdAt, Acct: account(a), Ntry: entries.map((e) => entry(e, a.currency)) },
    },
  });
}

/** A camt.053 end-of-day statement: the period, opening and closing booked balances, every entry booked in it. */
/** A statement's period and numbers; `page` when it is one of several messages (both its own and the message's pagination say so). */
export interface SimStatement { id: string; sequence: number; from: string; to: string; page?: { number: number; last: boolean } }

export function buildCamt053(messageId: string, statement: SimStatement, a: SimAccount, balances: readonly SimBalance[], entries: readonly SimEntry[]): string {
  const pagination = statement.page === undefined ? undefined : { PgNb: statement.page.number, LastPgInd: statement.page.last };
  return document('camt.053.001.08', {
    BkToCstmrStmt: {
      GrpHdr: { MsgId: messageId, CreDtTm: statement.to, MsgPgntn: pagination },
      Stmt: {
        Id: statement.id, StmtPgntn: pagination, ElctrncSeqNb: statement.sequence, CreDtTm: statement.to,
        FrToDt: { FrDtTm: statement.from, ToDtTm: statement.to },
        Acct: account(a),
        Bal: balances.map((b) => ({
          Tp: { CdOrPrtry: { Cd: b.type } }, Amt: amount(b.amount.replace(/^-/, ''), a.currency), CdtDbtInd: b.amount.startsWith('-') ? 'DBIT' : 'CRDT', Dt: { Dt: b.date },
        })),
        Ntry: entries.map((e) => entry(e, a.currency)),
      },
    },
  });
}

export interface SimStatus {
  readonly endToEndId: string;
  readonly status: 'ACSC' | 'RJCT';
  readonly reason?: string;
  readonly info?: string;
}

/** A pacs.002 about the payments of one message the bank received. */
export function buildPacs002(messageId: string, createdAt: string, original: { messageId: string; messageType: string }, statuses: readonly SimStatus[]): string {
  return document('pacs.002.001.11', {
    FIToFIPmtStsRpt: {
      GrpHdr: { MsgId: messageId, CreDtTm: createdAt },
      OrgnlGrpInfAndSts: { OrgnlMsgId: original.messageId, OrgnlMsgNmId: original.messageType },
      TxInfAndSts: statuses.map((s) => ({
        OrgnlEndToEndId: s.endToEndId, TxSts: s.status,
        ...(s.status === 'RJCT' && { StsRsnInf: { Rsn: { Cd: s.reason ?? 'NARR' }, ...(s.info !== undefined && { AddtlInf: s.info }) } }),
      })),
    },
  });
}
