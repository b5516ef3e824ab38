import { DEFERRED, readBankReport, type BankReport } from './reports.js';
import type { SchemaDirectory, SchemaVerdict } from './schemas.js';
import { readStatusReport, type StatusReport } from './status.js';
import { INCOMING, kindOf } from './versions.js';
import { documentOf, MessageError, parseXml, type XmlNode } from './xml.js';

export { INCOMING, type IncomingFamily } from './versions.js';
export { MessageError } from './xml.js';
export { SchemaDirectory, type SchemaVerdict } from './schemas.js';
export { buildPacs004, buildPacs008, buildPain001, sumAmounts, uetrFor, type ChargeBearer, type CreditTransfer, type GroupHeader, type PartyWithAccount, type PaymentReturn, type PostalAddress, type SettlementMethod } from './outgoing.js';
export type { AccountReport, Balance, BankReport, Entry, EntryTransaction, Party } from './reports.js';
export type { StatusReport, StatusReason, TransactionStatus } from './status.js';

/** An incoming message, read and normalized, with what its XSD said when one was at hand. */
export type IncomingMessage = (BankReport | StatusReport) & { readonly schema: SchemaVerdict | null };

/**
 * Reads a message a bank sent: identifies its family and version by its namespace,
 * validates it against the official XSD of that version when the deployment has it, and
 * normalizes it. A message in an unknown version, that fails its XSD, or that lacks what
 * the module needs is refused with a MessageError saying why: nothing is acted on.
 */
export async function readIncoming(xml: string | Uint8Array, schemas?: SchemaDirectory): Promise<IncomingMessage> {
  const dom = parseXml(xml);
  try {
    const { document, namespace } = documentOf(dom, DEFERRED);
    const kind = kindOf(namespace);
    if ('problem' in kind) throw new MessageError(kind.problem);
    const message = `${kind.family}.${kind.version}`;
    const schema = schemas?.has(message) === true ? schemas.validateDocument(dom, message) : null;
    if (schema !== null && !schema.valid) throw new MessageError(`${message} fails ${schema.schema}: ${schema.errors.slice(0, 5).join('; ')}`);
    const body = document[INCOMING[kind.family].root];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MessageError(`${message}: the Document has no ${INCOMING[kind.family].root}`);
    const node = body as XmlNode;
    const read = kind.family === 'pacs.002' || kind.family === 'pain.002'
      ? readStatusReport({ ...kind, family: kind.family }, node)
      : readBankReport({ ...kind, family: kind.family }, node);
    return { ...read, schema };
  } finally {
    dom.dispose();
  }
}
