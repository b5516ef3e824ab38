/**
 * The ISO 20022 messages the banking module reads, and the versions of each it accepts:
 * the ones banks send today (many still send camt.053.001.02). A message names its version
 * in its namespace, `urn:iso:std:iso:20022:tech:xsd:<family>.<version>`.
 */
export const INCOMING = {
  'camt.052': { root: 'BkToCstmrAcctRpt', versions: ['001.02', '001.03', '001.04', '001.05', '001.06', '001.07', '001.08'] },
  'camt.053': { root: 'BkToCstmrStmt', versions: ['001.02', '001.03', '001.04', '001.05', '001.06', '001.07', '001.08'] },
  'camt.054': { root: 'BkToCstmrDbtCdtNtfctn', versions: ['001.02', '001.03', '001.04', '001.05', '001.06', '001.07', '001.08'] },
  'pacs.002': { root: 'FIToFIPmtStsRpt', versions: ['001.03', '001.04', '001.05', '001.06', '001.07', '001.08', '001.09', '001.10', '001.11'] },
  'pain.002': { root: 'CstmrPmtStsRpt', versions: ['001.03', '001.04', '001.05', '001.06', '001.07', '001.08', '001.09', '001.10'] },
} as const;

export type IncomingFamily = keyof typeof INCOMING;

export interface MessageKind {
  readonly family: IncomingFamily;
  /** E.g. "001.08". */
  readonly version: string;
  readonly namespace: string;
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.(\d{3}\.\d{2})$/;

/** The family and version a Document's namespace names, or why it is not one this module reads. */
export function kindOf(namespace: string | undefined): MessageKind | { problem: string } {
  if (namespace === undefined) return { problem: 'the Document names no ISO 20022 namespace (xmlns)' };
  const match = NAMESPACE.exec(namespace);
  if (match === null) return { problem: `"${namespace}" is not an ISO 20022 message namespace` };
  const family = match[1]! as IncomingFamily;
  const version = match[2]!;
  const known = INCOMING[family] as (typeof INCOMING)[IncomingFamily] | undefined;
  if (known === undefined) return { problem: `${family} is not a message the banking module reads (it reads ${Object.keys(INCOMING).join(', ')})` };
  if (!(known.versions as readonly string[]).includes(version)) return { problem: `${family}.${version} is not a supported version of ${family} (supported: ${known.versions.join(', ')})` };
  return { family, version, namespace };
}

/** The version's number within its family (e.g. 8 for 001.08), to tell shapes that changed between versions apart. */
export function versionNumber(kind: MessageKind): number {
  return Number(kind.version.split('.')[1]);
}
