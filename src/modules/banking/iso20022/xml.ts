import { ParseOption, XmlDocument, XmlElement } from 'libxml2-wasm';
// libxml2-wasm's own accessors of libxml2's structures, below its public API (see treeOf).
import { XmlNodeStruct, xmlNodeGetContent } from 'libxml2-wasm/lib/libxml2.mjs';

/**
 * Reads an ISO 20022 message into plain objects without losing anything a bank meant:
 * every value stays a string (an amount never passes through a float, a reference of
 * digits keeps its leading zeros), attributes under `@`, namespace prefixes dropped.
 * Elements that may repeat are always arrays, so one entry reads like many. Parsed by
 * libxml2 (WebAssembly), once: the same document is validated against the XSD and read.
 */
export const REPEATED: ReadonlySet<string> = new Set([
  'Stmt', 'Rpt', 'Ntfctn', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'AddtlInf', 'AdrLine',
  'OrgnlGrpInfAndSts', 'OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf',
]);

/**
 * Elements nothing in the module reads, left out of the plain objects with everything in
 * them: a statement entry's bank transaction code (`BkTxCd`, six elements of the thirty
 * of a typical entry), its charges, related agents and dates, and purpose. The XSD still
 * validates them; reading one later means taking it off this list.
 */
export const UNREAD: ReadonlySet<string> = new Set(['BkTxCd', 'Chrgs', 'RltdAgts', 'RltdDts', 'Purp']);

export type XmlNode = { readonly [name: string]: XmlValue };
export type XmlValue = string | XmlNode | readonly XmlValue[];

/** A message the module refuses: unreadable, of an unknown version, failing its XSD, or lacking what the module needs. */
export class MessageError extends Error {
  override readonly name = 'MessageError';
}

/**
 * Nothing from the network or external entities; the blanks between elements (a formatted
 * file's indentation) dropped, which halves the nodes of a large statement; line numbers
 * past 65,535 kept for the XSD's messages.
 */
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NOBLANKS | ParseOption.XML_PARSE_COMPACT | ParseOption.XML_PARSE_BIG_LINES;

/** `<!DOCTYPE` as UTF-8 bytes: a message in bytes is read as UTF-8 (see parseXml), so this is how a declaration would appear. */
const DOCTYPE = Buffer.from('<!DOCTYPE');

/**
 * Parses a message with libxml2; the caller disposes of the document. A message as
 * received (bytes) is parsed as it is, with no copy into a JavaScript string and back,
 * and always as UTF-8, the encoding ISO 20022 prescribes, whatever its XML declaration
 * says: bytes that are not UTF-8 are not well-formed. A DOCTYPE is refused unread: ISO
 * 20022 messages never carry one, and entity declarations are how XML bombs and external
 * entity reads arrive (libxml2 is not asked to load or expand any).
 */
export function parseXml(xml: string | Uint8Array): XmlDocument {
  const declaresDoctype = typeof xml === 'string' ? /<!DOCTYPE/i.test(xml) : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).includes(DOCTYPE);
  if (declaresDoctype) throw new MessageError('the file declares a DOCTYPE: ISO 20022 messages never do, and it is refused unread');
  try {
    return typeof xml === 'string'
      ? XmlDocument.fromString(xml, { option: PARSE_OPTIONS })
      : XmlDocument.fromBuffer(xml, { option: PARSE_OPTIONS, encoding: 'utf-8' });
  } catch (error) {
    throw new MessageError(`not well-formed XML: ${(error as Error).message.trim()}`);
  }
}

/** A libxml2 node of an open document, by its address in libxml2's memory. */
type NodePointer = number;
const ELEMENT_NODE = 1;

/**
 * Children left out of the plain objects, by the object of their parent: read one at a
 * time when their turn comes (see `lazily`), so the entries of a day's statement (a
 * hundred thousand) are never all held as plain objects at once.
 */
const deferredChildren = new WeakMap<XmlNode, Map<string, NodePointer[]>>();

/**
 * An element as plain objects: its text (trimmed) when it has no child elements, else its
 * children by name; attributes under `@`. Children named in `deferred` are left to `lazily`.
 *
 * Walked through libxml2-wasm's accessors of libxml2's node structures (the ones its public
 * classes use), not through those classes: each node they return is a new JavaScript object
 * made through a decorated constructor: a statement of 20,000 entries was walked in 1.0-1.3 s
 * that way and in 0.5-0.6 s this way (one process, alternately), a one-credit camt.054 in
 * about 22 µs and 8.
 * The same fields are read: an element's name (local, no prefix), its text as libxml2 gives
 * it (`xmlNodeGetContent`: text and CDATA, no comments), its attributes'. The version is
 * pinned in package.json; test/modules/banking/xml.test.ts compares this walk with one
 * through the public classes, so an upgrade that changes them fails there.
 */
function treeOf(element: NodePointer, deferred?: ReadonlySet<string>): XmlValue {
  let children: Record<string, XmlValue> | undefined;
  for (let node = XmlNodeStruct.children(element); node !== 0; node = XmlNodeStruct.next(node)) {
    if (XmlNodeStruct.type(node) !== ELEMENT_NODE) continue;
    children ??= {};
    const name = XmlNodeStruct.name_(node);
    if (UNREAD.has(name)) continue;
    if (deferred?.has(name) === true) {
      deferElement(children, name, node);
      continue;
    }
    const value = treeOf(node, deferred);
    const before = children[name];
    if (before === undefined) children[name] = REPEATED.has(name) ? [value] : value;
    else if (Array.isArray(before)) (before as XmlValue[]).push(value);
    else children[name] = [before, value];
  }
  let attribute = XmlNodeStruct.properties(element);
  if (children === undefined && attribute === 0) return xmlNodeGetContent(element).trim();
  const node: Record<string, XmlValue> = children ?? { '#text': xmlNodeGetContent(element).trim() };
  for (; attribute !== 0; attribute = XmlNodeStruct.next(attribute)) node[`@${XmlNodeStruct.name_(attribute)}`] = xmlNodeGetContent(attribute);
  return node;
}

function deferElement(parent: XmlNode, name: string, element: NodePointer): void {
  let byName = deferredChildren.get(parent);
  if (byName === undefined) deferredChildren.set(parent, byName = new Map());
  let elements = byName.get(name);
  if (elements === undefined) byName.set(name, elements = []);
  elements.push(element);
}

/**
 * Each child of `node` named `name` that was deferred, as plain objects, one at a time
 * (elements without children are skipped, as `all` skips them). Read while the document
 * is open: its elements are libxml2's.
 */
export function* lazily(node: XmlNode | undefined, name: string): Generator<XmlNode> {
  const elements = node === undefined ? undefined : deferredChildren.get(node)?.get(name);
  for (const element of elements ?? []) {
    const value = treeOf(element);
    if (isNode(value)) yield value;
  }
}

/** The libxml2 node behind one of libxml2-wasm's elements. */
function pointerOf(element: XmlElement): NodePointer {
  const pointer = (element as unknown as { _nodePtr?: unknown })._nodePtr;
  if (typeof pointer !== 'number' || pointer === 0) throw new Error('libxml2-wasm no longer holds its elements as it did: see treeOf in iso20022/xml.ts');
  return pointer;
}

/**
 * The message's Document element (the root, or inside an envelope with a business
 * application header) as plain objects, and its namespace, which names the message and
 * its version (`<Document xmlns="…">` or `<ns2:Document xmlns:ns2="…">` alike). Only the
 * Document is read: an envelope's header is not the module's business.
 */
export function documentOf(dom: XmlDocument, deferred?: ReadonlySet<string>): { document: XmlNode; namespace: string | undefined } {
  const element = documentElement(dom.root);
  if (element === undefined) throw new MessageError('no ISO 20022 Document element');
  const tree = treeOf(pointerOf(element), deferred);
  // An empty Document (<Document xmlns="…"/>) still names its version: it is refused for what it lacks, after that.
  const document = isNode(tree) ? tree : {};
  return { document, namespace: element.namespaceUri === '' ? undefined : element.namespaceUri };
}

function documentElement(element: XmlElement, depth = 0): XmlElement | undefined {
  if (element.name === 'Document') return element;
  if (depth > 2) return undefined;
  for (let node = element.firstChild; node !== null; node = node.next) {
    if (!(node instanceof XmlElement)) continue;
    const found = documentElement(node, depth + 1);
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
