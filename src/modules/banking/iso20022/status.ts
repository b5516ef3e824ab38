import type { MessageKind } from './versions.js';
import { all, child, MessageError, required, text, texts, type XmlNode } from './xml.js';

/**
 * pacs.002 (interbank payment status) and pain.002 (customer payment status) read into
 * one shape: for each original payment the status report speaks of, its status and why.
 */
export interface StatusReason {
  readonly code?: string;
  readonly proprietary?: string;
  readonly info: readonly string[];
}

export interface TransactionStatus {
  readonly originalPaymentInformationId?: string;
  readonly originalInstructionId?: string;
  readonly originalEndToEndId?: string;
  readonly originalTransactionId?: string;
  readonly originalUetr?: string;
  /** ACSC, ACCP, ACSP, PDNG, RJCT, … (absent when only the group's status is given). */
  readonly status?: string;
  readonly reasons: readonly StatusReason[];
}

export interface StatusReport {
  readonly messageType: 'pacs.002' | 'pain.002';
  readonly version: string;
  readonly messageId: string;
  readonly createdAt: string;
  readonly original: { readonly messageId?: string; readonly messageType?: string; readonly groupStatus?: string };
  readonly transactions: readonly TransactionStatus[];
}

function reasonsOf(node: XmlNode): StatusReason[] {
  return all(node, 'StsRsnInf').map((info) => {
    const code = text(info, 'Rsn', 'Cd');
    const proprietary = text(info, 'Rsn', 'Prtry');
    return { ...(code !== undefined && { code }), ...(proprietary !== undefined && { proprietary }), info: texts(info, 'AddtlInf') };
  });
}

function transactionOf(tx: XmlNode, paymentInformationId: string | undefined, inheritedStatus: string | undefined): TransactionStatus {
  const fields = {
    originalPaymentInformationId: paymentInformationId,
    originalInstructionId: text(tx, 'OrgnlInstrId'),
    originalEndToEndId: text(tx, 'OrgnlEndToEndId'),
    originalTransactionId: text(tx, 'OrgnlTxId'),
    originalUetr: text(tx, 'OrgnlUETR'),
    status: text(tx, 'TxSts') ?? inheritedStatus,
  };
  return { ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)), reasons: reasonsOf(tx) } as TransactionStatus;
}

export function readStatusReport(kind: MessageKind & { family: StatusReport['messageType'] }, body: XmlNode): StatusReport {
  const header = child(body, 'GrpHdr');
  const group = child(body, 'OrgnlGrpInfAndSts');
  const groupStatus = text(group, 'GrpSts');
  // pacs.002 lists transactions directly; pain.002 under each original payment information block, which may carry the status for all of them.
  const transactions = kind.family === 'pacs.002'
    ? all(body, 'TxInfAndSts').map((tx) => transactionOf(tx, undefined, groupStatus))
    : all(body, 'OrgnlPmtInfAndSts').flatMap((block) => {
      const id = text(block, 'OrgnlPmtInfId');
      const blockStatus = text(block, 'PmtInfSts') ?? groupStatus;
      const listed = all(block, 'TxInfAndSts');
      return listed.length === 0 ? [transactionOf(block, id, blockStatus)] : listed.map((tx) => transactionOf(tx, id, blockStatus));
    });
  if (transactions.length === 0 && groupStatus === undefined) throw new MessageError(`${kind.family}: neither a group status nor a transaction status`);
  const original = { messageId: text(group, 'OrgnlMsgId'), messageType: text(group, 'OrgnlMsgNmId'), groupStatus };
  return {
    messageType: kind.family, version: kind.version,
    messageId: required(header, 'GrpHdr', 'MsgId'), createdAt: required(header, 'GrpHdr', 'CreDtTm'),
    original: Object.fromEntries(Object.entries(original).filter(([, value]) => value !== undefined)),
    transactions,
  };
}
