import { XMLParser } from 'fast-xml-parser';

/**
 * Reads an ISO 20022 message into plain objects without losing anything a bank meant:
 * every value stays a string (an amount never passes through a float, a reference of
 * digits keeps its leading zeros), attributes under `@`, namespace prefixes dropped.
 * Elements that may repeat are always arrays, so one entry reads like many.
 */
const REPEATED = new Set([
  'Stmt', 'Rpt', 'Ntfctn', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'AddtlInf', 'AdrLine',
  'OrgnlGrpInfAndSts', 'OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only the five predefined entities: a message that declares its own is refused before parsing.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => REPEATED.has(name),
});

export type XmlNode = { readonly [name: string]: XmlValue };
export type XmlValue = string | XmlNode | readonly XmlValue[];

/** A message the module refuses: unreadable, of an unknown version, failing its XSD, or lacking what the module needs. */
export class MessageError extends Error {
  override readonly name = 'MessageError';
}

/**
 * The message's Document element and its namespace. A DOCTYPE is refused: ISO 20022
 * messages never carry one, and entity declarations are how XML bombs and external
 * entity reads arrive.
 */
export function readDocument(xml: string): { document: XmlNode; namespace: string | undefined } {
  if (/<!DOCTYPE/i.test(xml)) throw new MessageError('the file declares a DOCTYPE: ISO 20022 messages never do, and it is refused unread');
  let tree: XmlNode;
  try {
    tree = parser.parse(xml, true) as XmlNode;
  } catch (error) {
    throw new MessageError(`not well-formed XML: ${(error as Error).message}`);
  }
  // A business application header may wrap the Document (an envelope with AppHdr and Document).
  const document = findDocument(tree);
  if (document === undefined) throw new MessageError('no ISO 20022 Document element');
  return { document, namespace: documentNamespace(xml) };
}

/**
 * The namespace of the Document element, read from its start tag: the parser drops
 * namespace declarations with the prefixes, and a bank may write `<Document xmlns="…">`
 * or `<ns2:Document xmlns:ns2="…">`.
 */
function documentNamespace(xml: string): string | undefined {
  const tag = /<(?:([A-Za-z_][\w.-]*):)?Document[\s>][^>]*/.exec(xml);
  if (tag === null) return undefined;
  const attribute = tag[1] === undefined ? 'xmlns' : `xmlns:${tag[1]}`;
  const declared = new RegExp(`\\s${attribute.replace('.', '\\.')}\\s*=\\s*(["'])([^"']*)\\1`).exec(tag[0]);
  return declared?.[2];
}

function findDocument(node: XmlNode, depth = 0): XmlNode | undefined {
  const direct = node['Document'];
  if (isNode(direct)) return direct;
  // An empty Document (<Document xmlns="…"/>) still names its version: it is refused for what it lacks, after that.
  if (direct === '') return {};
  if (depth > 2) return undefined;
  for (const [name, child] of Object.entries(node)) {
    if (name.startsWith('@') || name === '?xml' || !isNode(child)) continue;
    const found = findDocument(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function isNode(value: XmlValue | undefined): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child at a path of element names (the first of a repeated one), if any. */
export function at(node: XmlNode | undefined, ...path: string[]): XmlValue | undefined {
  let value: XmlValue | undefined = node;
  for (const name of path) {
    if (Array.isArray(value)) value = value[0];
    if (!isNode(value)) return undefined;
    value = value[name];
  }
  return Array.isArray(value) ? value[0] : value;
}

/** The node at a path, if it is an element with children. */
export function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  const value = at(node, ...path);
  return isNode(value) ? value : undefined;
}

/** The text at a path: an element's text, or the `#text` of an element with attributes. */
export function text(node: XmlNode | undefined, ...path: string[]): string | undefined {
  const value = at(node, ...path);
  if (typeof value === 'string') return value;
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'];
  return undefined;
}

/** Every element of a repeated child, as nodes. */
export function all(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter(isNode);
}

/** The text of every element of a repeated child. */
export function texts(node: XmlNode | undefined, name: string): string[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** Text the message must carry: its absence makes the message unreadable. */
export function required(node: XmlNode | undefined, where: string, ...path: string[]): string {
  const found = text(node, ...path);
  if (found === undefined || found === '') throw new MessageError(`${where}: ${path.join('/')} is missing`);
  return found;
}
