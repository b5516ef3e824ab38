import { createHash } from 'node:crypto';

/**
 * A sanctions or watch list, read from its real format into one shape: each entry with
 * its names (the primary one and its aliases), its party type, and what tells two people
 * of one name apart (dates of birth, nationalities, identity documents, digital-currency
 * addresses). Every value stays as the list wrote it.
 */
export type PartyType = 'person' | 'entity' | 'vessel' | 'aircraft';

export interface ListedName {
  readonly name: string;
  /** primary; aka (also known as), fka (formerly), nka (now); weak (OFAC's "weak" a.k.a., in remarks: low quality) */
  readonly kind: 'primary' | 'aka' | 'fka' | 'nka' | 'weak';
}

export interface ListedDocument {
  /** Passport, National ID No., Tax ID No., … as the list names it. */
  readonly type: string;
  readonly number: string;
  readonly country?: string;
}

export interface ListedAddress {
  readonly street?: string;
  readonly city?: string;
  readonly country?: string;
}

export interface ListEntry {
  /** The list's own id for the entry: OFAC's ent_num, the UN's DATAID, the bank's id. */
  readonly id: string;
  readonly type: PartyType;
  readonly names: readonly ListedName[];
  readonly programs: readonly string[];
  readonly datesOfBirth: readonly string[];
  readonly placesOfBirth: readonly string[];
  readonly nationalities: readonly string[];
  readonly documents: readonly ListedDocument[];
  /** Currency code (XBT, ETH, …) and address, exactly as listed. */
  readonly digitalCurrencyAddresses: readonly { readonly currency: string; readonly address: string }[];
  readonly addresses: readonly ListedAddress[];
  readonly remarks?: string;
}

export interface SanctionsList {
  /** `ofac-sdn`, `un-consolidated`, or `internal:<name>`. */
  readonly source: string;
  /** When the publisher generated it, if it says. */
  readonly publishedAt?: string;
  /** SHA-256 over the entries in id order: two loads of the same content have the same version. */
  readonly version: string;
  readonly entries: ReadonlyMap<string, ListEntry>;
}

export function listOf(source: string, entries: readonly ListEntry[], publishedAt?: string): SanctionsList {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const digest = createHash('sha256');
  for (const id of [...byId.keys()].sort()) digest.update(`${JSON.stringify(byId.get(id))}\n`);
  return { source, ...(publishedAt !== undefined && { publishedAt }), version: digest.digest('hex'), entries: byId };
}

/** What changed between two versions of a list: what a rescreening looks at. */
export interface ListDiff {
  readonly added: readonly ListEntry[];
  readonly removed: readonly ListEntry[];
  readonly changed: readonly { readonly before: ListEntry; readonly after: ListEntry }[];
}

export function diffLists(before: SanctionsList | undefined, after: SanctionsList): ListDiff {
  const previous = before?.entries ?? new Map<string, ListEntry>();
  const added: ListEntry[] = [];
  const changed: { before: ListEntry; after: ListEntry }[] = [];
  for (const [id, entry] of after.entries) {
    const old = previous.get(id);
    if (old === undefined) added.push(entry);
    else if (JSON.stringify(old) !== JSON.stringify(entry)) changed.push({ before: old, after: entry });
  }
  const removed = [...previous.values()].filter((entry) => !after.entries.has(entry.id));
  return { added, removed, changed };
}

/** A list file the module refuses, with why. */
export class ListFormatError extends Error {
  override readonly name = 'ListFormatError';
}
