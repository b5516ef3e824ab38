import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { XmlElement, type XmlDocument } from 'libxml2-wasm';
import { DEFERRED } from '../../../src/modules/banking/iso20022/reports.js';
import { documentOf, isNode, lazily, parseXml, REPEATED, UNREAD, type XmlNode, type XmlValue } from '../../../src/modules/banking/iso20022/xml.js';
import { buildCamt053, buildCamt054, buildPacs002, type SimEntry } from '../../../src/modules/banking/sim/messages.js';

/**
 * The reader walks libxml2's nodes through libxml2-wasm's struct accessors, below its
 * public API (xml.ts, treeOf). This walk through the public classes is the oracle: the
 * same rules, read through XmlElement. A libxml2-wasm that changes what the accessors
 * return, or how an element holds its node, fails here before it misreads a message.
 */
function publicTree(element: XmlElement): XmlValue {
  let children: Record<string, XmlValue> | undefined;
  for (let node = element.firstChild; node !== null; node = node.next) {
    if (!(node instanceof XmlElement)) continue;
    children ??= {};
    if (UNREAD.has(node.name)) continue;
    const value = publicTree(node);
    const before = children[node.name];
    if (before === undefined) children[node.name] = REPEATED.has(node.name) ? [value] : value;
    else if (Array.isArray(before)) (before as XmlValue[]).push(value);
    else children[node.name] = [before, value];
  }
  if (children === undefined && element.attrs.length === 0) return element.content.trim();
  const tree: Record<string, XmlValue> = children ?? { '#text': element.content.trim() };
  for (const attribute of element.attrs) tree[`@${attribute.name}`] = attribute.value;
  return tree;
}

function publicDocument(dom: XmlDocument): XmlNode {
  const find = (element: XmlElement): XmlElement | undefined => {
    if (element.name === 'Document') return element;
    for (let node = element.firstChild; node !== null; node = node.next) {
      const found = node instanceof XmlElement ? find(node) : undefined;
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const tree = publicTree(find(dom.root)!);
  return isNode(tree) ? tree : {};
}

/** The reader's tree with every deferred child read back in place, as the oracle holds them. */
function readWhole(value: XmlValue): XmlValue {
  if (Array.isArray(value)) return value.map(readWhole);
  if (!isNode(value)) return value;
  const whole: Record<string, XmlValue> = {};
  for (const [name, child] of Object.entries(value)) whole[name] = readWhole(child);
  for (const name of DEFERRED) {
    const deferred = [...lazily(value, name)].map(readWhole);
    if (deferred.length > 0) whole[name] = REPEATED.has(name) || deferred.length > 1 ? deferred : deferred[0]!;
  }
  return whole;
}

function assertSameAsPublic(xml: string | Uint8Array): void {
  const dom = parseXml(xml);
  try {
    assert.deepEqual(readWhole(documentOf(dom, DEFERRED).document), publicDocument(dom));
    assert.deepEqual(documentOf(dom).document, publicDocument(dom));
  } finally {
    dom.dispose();
  }
}

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const ACCOUNT = { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' };
const entries: SimEntry[] = Array.from({ length: 40 }, (_, i) => ({
  reference: `FMB${String(i).padStart(8, '0')}`, amount: `${i + 1}.0${i % 10}`, side: i % 3 === 0 ? 'debit' : 'credit', bookingDate: '2026-12-07',
  endToEndId: `E2E-${i}`, counterparty: { name: `Client ${i} & Sons <Ltd>`, account: `DDA-${i}` }, ...(i % 4 === 0 && { remittance: `invoice ${i}` }),
}));

describe('the ISO 20022 reader\'s walk of libxml2\'s nodes', () => {
  it('reads every fixture as the public API of libxml2-wasm reads it', () => {
    for (const name of ['camt.053.001.02.xml', 'camt.053.001.08.xml', 'camt.054.001.02.xml', 'camt.054.001.08.xml', 'pacs.002.001.11.xml', 'pain.002.001.03.xml']) assertSameAsPublic(fixture(name));
  });

  it('reads the simulated bank\'s notifications, statements and status reports, as bytes, as the public API reads them', () => {
    assertSameAsPublic(Buffer.from(buildCamt054('C54-1', '2026-12-07T10:00:00Z', ACCOUNT, entries.slice(0, 1))));
    assertSameAsPublic(Buffer.from(buildCamt054('C54-2', '2026-12-07T10:00:00Z', ACCOUNT, entries)));
    assertSameAsPublic(Buffer.from(buildCamt053('S-1', { id: 'S-1', sequence: 1, from: '2026-12-06T00:00:00Z', to: '2026-12-07T00:00:00Z', page: { number: 1, last: true } }, ACCOUNT,
      [{ type: 'OPBD', amount: '-5.00', date: '2026-12-07' }, { type: 'CLBD', amount: '100.00', date: '2026-12-07' }], entries)));
    assertSameAsPublic(buildPacs002('P2-1', '2026-12-07T10:00:00Z', { messageId: 'P1-1', messageType: 'pain.001.001.10' }, [{ endToEndId: 'E1', status: 'ACSC' }, { endToEndId: 'E2', status: 'RJCT', reason: 'AC04', info: 'closed' }]));
  });

  it('keeps text as libxml2 gives it: references resolved, CDATA read, comments left out, blanks trimmed, attributes under @, a prefixed Document and one in an envelope', () => {
    const xml = (document: string) => `<?xml version="1.0" encoding="UTF-8"?>${document}`;
    const body = `<GrpHdr><MsgId> A&amp;B &#x20AC;&lt;1&gt; </MsgId><CreDtTm><![CDATA[2026-12-07<T>]]><!-- not text -->Z</CreDtTm></GrpHdr>
      <Ntfctn><Id>N1</Id><Ntry><Amt Ccy="USD">1.00</Amt><BkTxCd><Domn><Cd>PMNT</Cd></Domn></BkTxCd></Ntry><Ntry><Amt Ccy="EUR">2.00</Amt><Sts/></Ntry><Empty/><Mixed>text<Inner>x</Inner>more</Mixed></Ntfctn>`;
    assertSameAsPublic(xml(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>${body}</BkToCstmrDbtCdtNtfctn></Document>`));
    assertSameAsPublic(xml(`<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x y"><ns2:BkToCstmrDbtCdtNtfctn>${body.replaceAll('<', '<ns2:').replaceAll('<ns2:/', '</ns2:').replaceAll('<ns2:!', '<!')}</ns2:BkToCstmrDbtCdtNtfctn></ns2:Document>`));
    assertSameAsPublic(xml(`<Envelope><AppHdr><Fr>FMB</Fr></AppHdr><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>${body}</BkToCstmrDbtCdtNtfctn></Document></Envelope>`));

    const dom = parseXml(xml(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>${body}</BkToCstmrDbtCdtNtfctn></Document>`));
    try {
      const { document } = documentOf(dom);
      assert.deepEqual(document, {
        BkToCstmrDbtCdtNtfctn: {
          GrpHdr: { MsgId: 'A&B €<1>', CreDtTm: '2026-12-07<T>Z' },
          Ntfctn: [{
            Id: 'N1', Ntry: [{ Amt: { '#text': '1.00', '@Ccy': 'USD' } }, { Amt: { '#text': '2.00', '@Ccy': 'EUR' }, Sts: '' }], Empty: '', Mixed: { Inner: 'x' },
          }],
        },
      }, 'BkTxCd is unread; an element with children keeps no text of its own');
    } finally {
      dom.dispose();
    }
  });
});
