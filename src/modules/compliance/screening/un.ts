import { XMLParser } from 'fast-xml-parser';
import { listOf, ListFormatError, type ListEntry, type ListedDocument, type ListedName, type SanctionsList } from './lists.js';

/**
 * The UN Security Council consolidated list, in its XML (`CONSOLIDATED_LIST` with
 * `INDIVIDUALS` and `ENTITIES`): names in up to four parts, aliases with their quality
 * (good, low), dates of birth as a date, a year or a range, nationalities, documents.
 */
const REPEATED = new Set(['INDIVIDUAL', 'ENTITY', 'INDIVIDUAL_ALIAS', 'ENTITY_ALIAS', 'VALUE', 'INDIVIDUAL_DATE_OF_BIRTH', 'INDIVIDUAL_PLACE_OF_BIRTH', 'INDIVIDUAL_DOCUMENT', 'INDIVIDUAL_ADDRESS', 'ENTITY_ADDRESS']);

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true, htmlEntities: false, isArray: (name) => REPEATED.has(name) });

type Node = Record<string, unknown>;
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is Node => typeof v === 'object' && v !== null);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const values = (node: unknown): string[] => nodes(node).flatMap((n) => (Array.isArray(n['VALUE']) ? (n['VALUE'] as unknown[]) : [n['VALUE']]).map(text).filter((v): v is string => v !== undefined));

function aliasesOf(list: unknown): ListedName[] {
  return nodes(list).flatMap((alias) => {
    const name = text(alias['ALIAS_NAME']);
    if (name === undefined) return [];
    return [{ name, kind: text(alias['QUALITY']) === 'Low' ? 'weak' as const : 'aka' as const }];
  });
}

function birthDates(list: unknown): string[] {
  return nodes(list).flatMap((date) => {
    const exact = text(date['DATE']) ?? text(date['YEAR']);
    if (exact !== undefined) return [exact];
    const from = text(date['FROM_YEAR']);
    const to = text(date['TO_YEAR']);
    return from !== undefined && to !== undefined ? [`${from} to ${to}`] : [];
  });
}

function documentsOf(list: unknown): ListedDocument[] {
  return nodes(list).flatMap((document) => {
    const number = text(document['NUMBER']);
    if (number === undefined) return [];
    const country = text(document['ISSUING_COUNTRY']) ?? text(document['COUNTRY_OF_ISSUE']);
    return [{ type: text(document['TYPE_OF_DOCUMENT']) ?? 'document', number, ...(country !== undefined && { country }) }];
  });
}

function addressesOf(list: unknown): { street?: string; city?: string; country?: string }[] {
  return nodes(list).flatMap((address) => {
    const found = { ...(text(address['STREET']) !== undefined && { street: text(address['STREET'])! }), ...(text(address['CITY']) !== undefined && { city: text(address['CITY'])! }), ...(text(address['COUNTRY']) !== undefined && { country: text(address['COUNTRY'])! }) };
    return Object.keys(found).length === 0 ? [] : [found];
  });
}

function entryOf(node: Node, type: 'person' | 'entity'): ListEntry {
  const id = text(node['DATAID']);
  if (id === undefined) throw new ListFormatError('an entry without DATAID');
  const primary = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((part) => text(node[part])).filter((part): part is string => part !== undefined).join(' ');
  const programs = [text(node['UN_LIST_TYPE'])].filter((p): p is string => p !== undefined);
  const places = nodes(node['INDIVIDUAL_PLACE_OF_BIRTH']).map((place) => [text(place['CITY']), text(place['STATE_PROVINCE']), text(place['COUNTRY'])].filter(Boolean).join(', ')).filter(Boolean);
  const remarks = text(node['COMMENTS1']);
  return {
    id, type,
    names: [{ name: primary, kind: 'primary' }, ...aliasesOf(node[type === 'person' ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS'])],
    programs, datesOfBirth: birthDates(node['INDIVIDUAL_DATE_OF_BIRTH']), placesOfBirth: places, nationalities: values(node['NATIONALITY']),
    documents: documentsOf(node['INDIVIDUAL_DOCUMENT']), digitalCurrencyAddresses: [],
    addresses: addressesOf(node[type === 'person' ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS']),
    ...(remarks !== undefined && { remarks }),
  };
}

export function readUnConsolidated(xml: string): SanctionsList {
  if (/<!DOCTYPE/i.test(xml)) throw new ListFormatError('the file declares a DOCTYPE: the UN list never does, and it is refused unread');
  let document: Node;
  try {
    document = parser.parse(xml, true) as Node;
  } catch (error) {
    throw new ListFormatError(`not well-formed XML: ${(error as Error).message}`);
  }
  const root = document['CONSOLIDATED_LIST'] as Node | undefined;
  if (root === undefined) throw new ListFormatError('no CONSOLIDATED_LIST element: not the UN consolidated list');
  const individuals = nodes((root['INDIVIDUALS'] as Node | undefined)?.['INDIVIDUAL']).map((node) => entryOf(node, 'person'));
  const entities = nodes((root['ENTITIES'] as Node | undefined)?.['ENTITY']).map((node) => entryOf(node, 'entity'));
  const generated = text(root['@dateGenerated']);
  return listOf('un-consolidated', [...individuals, ...entities], generated);
}


