import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readInternalList } from '../../../src/modules/compliance/screening/internal.js';
import { diffLists, ListFormatError } from '../../../src/modules/compliance/screening/lists.js';
import { programsOf, readOfacSdn, remarksOf } from '../../../src/modules/compliance/screening/ofac.js';
import { readUnConsolidated } from '../../../src/modules/compliance/screening/un.js';
import { tempDir } from '../../helpers.js';

const SANCTIONS = new URL('../../../../shared/data/sanctions', import.meta.url).pathname;
const OFAC = join(SANCTIONS, 'ofac');
const UN = join(SANCTIONS, 'un', 'consolidated.xml');

describe('sanctions lists in their real formats', () => {
  const ofac = readOfacSdn(OFAC);

  it("reads OFAC's SDN files: every entry, its type, aliases from alt.csv and the remarks' weak a.k.a., addresses, programs", () => {
    assert.equal(ofac.source, 'ofac-sdn');
    assert.equal(ofac.entries.size, 8_976);
    const types = new Map<string, number>();
    for (const entry of ofac.entries.values()) types.set(entry.type, (types.get(entry.type) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(types), { entity: 3_673, person: 4_620, vessel: 406, aircraft: 277 });
    const bank = ofac.entries.get('306')!;
    assert.deepEqual(bank.names, [{ name: 'BANCO NACIONAL DE CUBA', kind: 'primary' }, { name: 'NATIONAL BANK OF CUBA', kind: 'aka' }, { name: 'BNC', kind: 'weak' }]);
    assert.deepEqual(bank.programs, ['CUBA']);
    assert.deepEqual(bank.addresses[0], { street: 'Zweierstrasse 35', city: 'Zurich CH-8022', country: 'Switzerland' });
    assert.deepEqual(ofac.entries.get('21171')!.programs.slice(0, 2), ['UKRAINE-EO13661', 'CYBER2']);
    assert.deepEqual(programsOf('CYBER2] [ELECTION-EO13848'), ['CYBER2', 'ELECTION-EO13848']);
    assert.deepEqual(programsOf('-0- '), []);
  });

  it('reads the facts packed in the remarks: dates and places of birth, nationalities, documents, digital-currency addresses', () => {
    const yan = ofac.entries.get('25308')!;
    assert.deepEqual(yan.datesOfBirth, ['25 Mar 1977']);
    assert.deepEqual(yan.placesOfBirth, ['Wuhan City, Hubei, China']);
    assert.deepEqual(yan.nationalities, ['China']);
    assert.equal(yan.digitalCurrencyAddresses.length, 6);
    assert.deepEqual(yan.digitalCurrencyAddresses[0], { currency: 'XBT', address: '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h' });
    assert.deepEqual(yan.names.filter((n) => n.kind === 'weak').map((n) => n.name), ['ZHOU, William', 'YAN, Steven']);
    assert.deepEqual(ofac.entries.get('26137')!.documents, [{ type: 'Passport', number: 'T14553558', country: 'Iran' }]);
    assert.deepEqual(remarksOf('DOB 1936; alt. DOB 31 Aug 1953; National ID No. 123-45 (Yemen); Gender Male.'), {
      datesOfBirth: ['1936', '31 Aug 1953'], placesOfBirth: [], nationalities: [], documents: [{ type: 'National ID No.', number: '123-45', country: 'Yemen' }], digitalCurrencyAddresses: [], weakAliases: [],
    });
    const total = [...ofac.entries.values()].reduce((sum, entry) => sum + entry.digitalCurrencyAddresses.length, 0);
    assert.equal(total, 97, 'every address in sdn.csv and its continuation');
  });

  it('joins remarks that sdn_comments.csv continues where sdn.csv cut them, mid-word', () => {
    assert.match(ofac.entries.get('12300')!.remarks!, /Linked To: PROMO RAIZ S\.A\.S\.; Linked To:/);
  });

  it('reads the UN consolidated list: individuals and entities, names in parts, aliases by quality, birth years, nationalities, documents', () => {
    const un = readUnConsolidated(readFileSync(UN, 'utf8'));
    assert.equal(un.source, 'un-consolidated');
    assert.equal(un.publishedAt, '2026-02-27T00:00:09.554Z');
    assert.equal([...un.entries.values()].filter((e) => e.type === 'person').length, 730);
    assert.equal([...un.entries.values()].filter((e) => e.type === 'entity').length, 273);
    assert.deepEqual(un.entries.get('6907993'), {
      id: '6907993', type: 'person', names: [{ name: 'ERIC BADEGE', kind: 'primary' }], programs: ['DRC'], datesOfBirth: ['1971'], placesOfBirth: [],
      nationalities: ['Democratic Republic of the Congo'], documents: [], digitalCurrencyAddresses: [], addresses: [{ country: 'Rwanda' }],
      remarks: un.entries.get('6907993')!.remarks!,
    });
    const withPassport = [...un.entries.values()].filter((e) => e.documents.some((d) => d.type === 'Passport'));
    assert.ok(withPassport.length > 100);
    assert.ok([...un.entries.values()].some((e) => e.names.some((n) => n.kind === 'weak')), 'low-quality aliases are kept, marked');
    assert.throws(() => readUnConsolidated('<!DOCTYPE x [<!ENTITY a "b">]><CONSOLIDATED_LIST/>'), ListFormatError);
    assert.throws(() => readUnConsolidated('<OTHER/>'), /no CONSOLIDATED_LIST/);
  });

  it("reads a bank's own watchlist, and says which line is wrong", () => {
    const list = readInternalList('fmb-watch', 'id,name,type,aliases,country,dob\nW1,Petrov Ivan,person,Ivan Petrov; I. Petrov,RU,1970-01-02\nW2,Blue Harbor Trading LLC,entity,,,\n');
    assert.equal(list.source, 'internal:fmb-watch');
    assert.deepEqual(list.entries.get('W1')!.names.map((n) => n.name), ['Petrov Ivan', 'Ivan Petrov', 'I. Petrov']);
    assert.deepEqual([list.entries.get('W1')!.nationalities, list.entries.get('W1')!.datesOfBirth, list.entries.get('W2')!.type], [['RU'], ['1970-01-02'], 'entity']);
    assert.throws(() => readInternalList('x', 'id,name,type\nA,Someone,company\n'), /x, line 2: type "company" is neither person nor entity/);
    assert.throws(() => readInternalList('x', 'id,name,type\nA,Someone,person\nA,Other,person\n'), /line 3: id A appears twice/);
    assert.throws(() => readInternalList('x', 'id,name,type\nA,,person\n'), /line 2: id and name are required/);
  });

  it('loads an update as a new version with what was added, removed and changed; the same content is the same version', () => {
    const dir = tempDir();
    try {
      for (const file of ['add.csv', 'alt.csv', 'sdn_comments.csv']) copyFileSync(join(OFAC, file), join(dir.path, file));
      const lines = readFileSync(join(OFAC, 'sdn.csv'), 'latin1').split('\r\n');
      const updated = lines.filter((line) => !line.startsWith('36,')).map((line) => (line.startsWith('173,') ? line.replace('"CUBA"', '"CUBA] [SDGT"') : line));
      updated.splice(1, 0, '99999001,"NEW LISTING TRADING FZE",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ');
      writeFileSync(join(dir.path, 'sdn.csv'), updated.join('\r\n'), 'latin1');
      const next = readOfacSdn(dir.path);
      assert.notEqual(next.version, ofac.version);
      const diff = diffLists(ofac, next);
      assert.deepEqual(diff.added.map((e) => e.id), ['99999001']);
      assert.deepEqual(diff.removed.map((e) => e.id), ['36']);
      assert.deepEqual(diff.changed.map((c) => [c.before.id, c.before.programs, c.after.programs]), [['173', ['CUBA'], ['CUBA', 'SDGT']]]);
      assert.equal(readOfacSdn(OFAC).version, ofac.version);
      assert.deepEqual(diffLists(undefined, next).added.length, next.entries.size, 'a first load adds everything');
    } finally {
      dir.remove();
    }
  });

  it('refuses a file that is not the format it claims, with the file and line', () => {
    const dir = tempDir();
    try {
      for (const file of ['add.csv', 'alt.csv', 'sdn_comments.csv']) copyFileSync(join(OFAC, file), join(dir.path, file));
      writeFileSync(join(dir.path, 'sdn.csv'), '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n');
      assert.throws(() => readOfacSdn(dir.path), /sdn\.csv, line 1: 4 fields, expected 12/);
      writeFileSync(join(dir.path, 'sdn.csv'), '36,"AEROCARIBBEAN "AIRLINES"",-0-\r\n');
      assert.throws(() => readOfacSdn(dir.path), (error: Error) => error instanceof ListFormatError && /sdn\.csv: not CSV/.test(error.message));
    } finally {
      dir.remove();
    }
  });
});
