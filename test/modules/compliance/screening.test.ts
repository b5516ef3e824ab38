import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { complianceModule } from '../../../src/modules/compliance/index.js';
import { readOfacSdn } from '../../../src/modules/compliance/screening/ofac.js';
import { readUnConsolidated } from '../../../src/modules/compliance/screening/un.js';
import { readInternalList } from '../../../src/modules/compliance/screening/internal.js';
import { Screener } from '../../../src/modules/compliance/screening/screener.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { cli } from '../../cli/run.js';
import { eventually, tempDir } from '../../helpers.js';

process.env['DEPOSITUM_CHECK_RESPONSES'] = '1';

const SANCTIONS = new URL('../../../../shared/data/sanctions', import.meta.url).pathname;
const OFAC = join(SANCTIONS, 'ofac');
const UN = join(SANCTIONS, 'un', 'consolidated.xml');

describe('sanctions screening: the matcher', () => {
  const screener = new Screener([readOfacSdn(OFAC), readUnConsolidated(readFileSync(UN, 'utf8'))]);
  const top = (name: string, type?: 'person' | 'entity') => screener.screen({ name, ...(type !== undefined && { type }) })[0];

  it('finds a listed name however it is written: order, diacritics, script, transliteration, a dropped patronymic', () => {
    for (const name of ['Nicolás Maduro Moros', 'Moros Nicolas Maduro', 'Рамзан Ахматович Кадыров', 'Ramzan Kadyrov', 'Usama bin Ladin', 'Kim Jong-un']) {
      const hit = top(name, 'person');
      assert.ok(hit !== undefined && hit.decision !== 'ignore', `${name} is found`);
    }
    assert.equal(top('Ramzan Kadyrov', 'person')!.entryId, '23343');
    assert.equal(top('Nicolás Maduro Moros', 'person')!.decision, 'block');
  });

  it('finds a name with a typo in a short word, or without a lead letter some transliterations drop', () => {
    // One letter dropped, changed or added where a word's first and last letters overlap: no prefix or suffix is shared.
    const found = (name: string, entry: string) => screener.screen({ name }).some((hit) => hit.entryId === entry && hit.decision !== 'ignore');
    assert.ok(found('Teic Slobodan', '23288'), 'TESIC, Slobodan');
    assert.ok(found('Nikbakht Maud', '24530'), "NIKBAKHT, Mas'ud");
    assert.ok(found('Awia Trust FZE', '16535'), 'AVIA TRUST FZE');
    // Kh- written H-, Dj- written J- (and the reverse).
    assert.ok(found('Essid Sami Ben Hemais', '7208'), 'ESSID, Sami Ben Khemais');
    assert.ok(found('Han Hizb Ullah Astam', '23685'), 'KHAN, Hizb Ullah Astam');
    assert.ok(found('Djo Yong Won', '21303'), 'JO, Yong-Won');
    const hemais = screener.screen({ name: 'Essid Sami Ben Hemais' }).find((hit) => hit.entryId === '7208')!;
    assert.ok(hemais.tokens.some((pair) => pair.query === 'hemais' && pair.listed === 'khemais' && pair.similarity < 1), 'a lead dropped is close, not equal');
  });

  it('says why: the listed name, each pair of words and how they matched, the words left over', () => {
    const hit = top('Ramzan Kadyrow', 'person')!;
    assert.equal(hit.matchedName, 'KADYROV, Ramzan');
    assert.equal(hit.nameKind, 'aka');
    assert.deepEqual(top('Nicolas Maduro', 'person')!.unmatched.listed, ['moros']);
    assert.ok(hit.tokens.some((pair) => pair.query === 'kadyrow' && pair.listed === 'kadyrov' && pair.how !== 'equal'));
    assert.ok(hit.reasons.some((reason) => reason.includes('kadyrow~kadyrov')));
    assert.ok(hit.score < 1 && hit.score >= 0.97, `one letter off scores just under equal: ${hit.score}`);
  });

  it('does not let a generic word or half a name match: "11420 CORP." is not every CORP, "EMMA LLC" is not Emma Daniels', () => {
    assert.equal(screener.screen({ name: 'ACME CORP' }).length, 0);
    assert.deepEqual(screener.screen({ name: '11420 CORP.' }).map((hit) => hit.matchedName), ['11420 CORP.']);
    assert.equal(screener.screen({ name: 'Emma Daniels', type: 'person' }).length, 0);
    assert.equal(screener.screen({ name: 'Limited Liability Company' }).length, 0);
    for (const name of ['Acme Logistics Inc.', 'Globex Trading Pte. Ltd.', 'First Meridian Bank, N.A.']) assert.equal(screener.screen({ name, type: 'entity' }).length, 0, name);
  });

  it('an identity document or a digital-currency address equal to a listed one is decisive, whatever the name', () => {
    const byDocument = screener.screen({ name: 'Someone Else', documentNumbers: ['t 1455 3558'] });
    assert.equal(byDocument[0]!.entryId, '26137');
    assert.equal(byDocument[0]!.decision, 'block');
    assert.match(byDocument[0]!.reasons.join('\n'), /same document: Passport T14553558/);
    const byAddress = screener.screen({ name: 'x', digitalCurrencyAddresses: ['12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h'] });
    assert.equal(byAddress[0]!.entryId, '25308');
  });

  it('a date of birth or nationality that disagrees lowers the score; one that agrees raises it', () => {
    const plain = top('Nicolas Maduro', 'person')!.score;
    const agreeing = screener.screen({ name: 'Nicolas Maduro', type: 'person', dateOfBirth: '1962-11-23' })[0]!;
    assert.ok(agreeing.score > plain);
    const disagreeing = screener.screen({ name: 'Nicolas Maduro', type: 'person', dateOfBirth: '1990' });
    assert.ok(disagreeing.length === 0 || disagreeing[0]!.score < plain);
  });

  it("a bank's own watchlist is screened with the public lists, with its own thresholds", () => {
    const watch = readInternalList('pep', 'id,name,type,aliases\nP1,Jonathan Q. Hargreave,person,Jon Hargreave\n');
    const strict = new Screener([watch], { default: { block: 0.97, review: 0.85 }, lists: { 'internal:pep': { block: 0.9 } } });
    const hit = strict.screen({ name: 'Jonathan Hargreave', type: 'person' })[0]!;
    assert.equal(hit.list, 'internal:pep');
    assert.equal(hit.decision, 'block');
  });
});

describe('depositum screen', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('screens one name against the lists given, as JSON with the lists\' versions', async () => {
    const run = await cli(dir.path, '--json', 'screen', '--name', 'Banco Nacional de Cuba', '--type', 'entity', '--list', OFAC, '--list', UN);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { outcome: string; lists: { source: string }[]; hits: { entryId: string; decision: string; score: number }[] };
    assert.equal(out.outcome, 'block');
    assert.deepEqual(out.lists.map((l) => l.source), ['ofac-sdn', 'un-consolidated']);
    assert.deepEqual(out.hits.map((h) => [h.entryId, h.decision, h.score]), [['306', 'block', 1]]);
  });

  it('screens a client book, one JSON line per name, and refuses a bad book or list plainly', async () => {
    const book = join(dir.path, 'book.csv');
    writeFileSync(book, 'name,type\nAcme Logistics Inc.,entity\nHAMAS,entity\nNicolas Maduro,person\n');
    const run = await cli(dir.path, 'screen', '--names-file', book, '--list', OFAC);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; outcome: string });
    assert.deepEqual(lines.map((l) => [l.name, l.outcome]), [['Acme Logistics Inc.', 'clear'], ['HAMAS', 'block'], ['Nicolas Maduro', 'review']]);
    writeFileSync(book, 'name,type\nSomeone,company\n');
    const bad = await cli(dir.path, '--json', 'screen', '--names-file', book, '--list', OFAC);
    assert.equal(bad.code, 2);
    assert.match((JSON.parse(bad.stdout) as { error: { message: string } }).error.message, /line 2: type "company" is neither person nor entity/);
    const noList = await cli(dir.path, '--json', 'screen', '--name', 'x', '--list', join(dir.path, 'nowhere'));
    assert.equal(noList.code, 2);
    assert.equal((JSON.parse(noList.stdout) as { error: { code: string } }).error.code, 'invalid_list');
  });
});

describe('the compliance module: participants screened at registration, on change and on list updates', () => {
  const dir = tempDir();
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load(participant) });
  const watchlist = join(dir.path, 'watch.csv');
  const ofacCopy = join(dir.path, 'ofac');
  type Screening = { id: string; participant: string; cause: string; outcome: string; hits: { entryId: string; list: string }[] };
  const screenings = async (participant: string) => (await client('compliance').request<{ data: Screening[] }>('GET', `/v1/compliance/screenings?participant=${participant}`)).data;
  const key = (publicKey: string) => [{ id: 'k1', publicKey }];

  before(async () => {
    mkdirSync(ofacCopy);
    for (const file of ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv']) copyFileSync(join(OFAC, file), join(ofacCopy, file));
    writeFileSync(watchlist, 'id,name,type\nW1,Placeholder Holdings,entity\n');
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [complianceModule({ lists: [ofacCopy, watchlist], listCheckSeconds: 1 })], moduleRunner: { pollMs: 20 } });
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('screens a name on request, for compliance and the operator only', async () => {
    const answer = await client('operator').request<{ outcome: string; hits: { entryId: string }[] }>('POST', '/v1/compliance/screen', { name: 'Banco Nacional de Cuba', type: 'entity' });
    assert.equal(answer.outcome, 'block');
    assert.equal(answer.hits[0]!.entryId, '306');
    await assert.rejects(client('acme').request('POST', '/v1/compliance/screen', { name: 'x' }), (error: DepositumApiError) => error.code === 'forbidden');
    await assert.rejects(client('operator').request('POST', '/v1/compliance/screen', { name: '' }), (error: DepositumApiError) => error.status === 400);
  });

  const register = (id: string, legalName: string, kycStatus: 'pending' | 'approved') => client('operator').submit([{
    type: 'register_participant', participant: { id, legalName, lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'US', roles: ['client'], kycStatus, keys: key(KeyStore.at(dir.path).load('acme').publicKey) },
  }]);
  const approve = (id: string) => client('operator').submit([{ type: 'update_participant', participant: id, changes: { kycStatus: 'approved' } }]);
  const decide = (id: string, decision: string) => client('compliance').request('POST', `/v1/compliance/screenings/${id}/decision`, { decision, note: 'checked against the registry extract' });
  const refusedWith = (code: string) => (error: DepositumApiError) => error.code === code;

  it('refuses to register a participant whose name hits a list at the block threshold, and keeps the refusal for compliance to decide', async () => {
    await assert.rejects(register('cuba-bank', 'Banco Nacional de Cuba', 'pending'), refusedWith('sanctions_hit'));
    await assert.rejects(client('operator').participantInfo('cuba-bank'), (error: DepositumApiError) => error.status === 404);
    const [refusal] = await screenings('cuba-bank');
    assert.equal(refusal!.cause, 'refused_at_admission');
    assert.equal(refusal!.outcome, 'block');
    assert.equal(refusal!.hits[0]!.entryId, '306');
    // Only a compliance officer decides; an auditor sees but may not.
    await assert.rejects(client('auditor').request('POST', `/v1/compliance/screenings/${refusal!.id}/decision`, { decision: 'cleared', note: 'x' }), refusedWith('forbidden'));
  });

  it('holds a name at the review threshold for review: it joins with KYC pending, and is approved only once compliance clears the hit', async () => {
    await assert.rejects(register('rosneft-trading', 'Rosneft Trading', 'approved'), refusedWith('screening_review_required'));
    assert.equal((await register('rosneft-trading', 'Rosneft Trading', 'pending')).status, 'sealed');
    const held = await eventually('the registration screened', async () => (await screenings('rosneft-trading')).find((s) => s.cause.startsWith('registered@')));
    assert.equal(held.outcome, 'review');
    await assert.rejects(approve('rosneft-trading'), refusedWith('screening_review_required'));
    await decide(held.id, 'cleared');
    await assert.rejects(decide(held.id, 'confirmed'), (error: DepositumApiError) => error.status === 400);
    const approved = await approve('rosneft-trading');
    assert.equal(approved.status === 'sealed' && approved.receipt.result.status, 'committed');
  });

  it('rescreens every participant against what a list update added or changed', async () => {
    await register('northwind', 'Northwind Traders LLC', 'approved');
    assert.equal((await eventually('northwind screened', async () => (await screenings('northwind'))[0])).outcome, 'clear');
    // The bank adds Northwind to its own watchlist: the update is read, and every participant rescreened against what changed.
    writeFileSync(watchlist, 'id,name,type\nW1,Placeholder Holdings,entity\nW2,Northwind Traders LLC,entity\n');
    const rescreened = await eventually('rescreened on the list update', async () => (await screenings('northwind')).find((s) => s.cause.startsWith('list_update:internal:watch')));
    assert.equal(rescreened.outcome, 'block');
    assert.deepEqual(rescreened.hits.map((h) => [h.list, h.entryId]), [['internal:watch', 'W2']]);
    // A refused registration is no participant: it is not rescreened.
    assert.equal((await screenings('cuba-bank')).some((s) => s.cause.startsWith('list_update:')), false);
    // Only what changed is screened: Rosneft Trading is not hit again by the watchlist's update.
    assert.equal((await screenings('rosneft-trading')).find((s) => s.cause.startsWith('list_update:internal:watch'))?.outcome, 'clear');
  });
});
