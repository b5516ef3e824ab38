import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalSigner } from '../../../src/chain/index.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';
import { CLI_ENTRY, spawnTracked } from '../../process.js';

const EXAMPLES = new URL('../../../docs/examples/reserves/', import.meta.url).pathname;
const file = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');

/** `depositum module run reserves` as its own process, its tables in a SQLite file of its own. */
async function startModule(dataDir: string, nodeUrl: string) {
  const config = join(dataDir, 'reserves.json');
  writeFileSync(config, JSON.stringify({ asset: 'hkd-hsi', issuer: 'harbour-stable', profile: 'hk', attestDaily: false }));
  const child = spawnTracked(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, '--as', 'reserves', '--url', nodeUrl, 'module', 'run', 'reserves', '--database', join(dataDir, 'reserves.db'), '--port', '0', '--log-level', 'warn'], { env: { ...process.env, DEPOSITUM_RESERVES_CONFIG: config } });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await eventually('the module to listen', async () => child.exitCode !== null ? Promise.reject(new Error(`module exited:\n${output}`)) : /serving (http:\/\/[0-9.:]+)\/v1\/reserves\//.exec(output)?.[1]);
  return { url, kill: async () => { child.kill('SIGKILL'); await exited; }, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

interface OnLedger { supply: string; throttle: { ceiling: string } | null; minters: { minter: string; remaining: string; withheld: string }[] }

describe('the minting throttle, with the reserves module as its own process', () => {
  const dir = tempDir();
  let node: RunningNode;
  let module: Awaited<ReturnType<typeof startModule>> | undefined;
  const client = (participant: string, url = node.url) => new DepositumClient({ url, signer: KeyStore.at(dir.path).load(participant) });
  const onLedger = () => client('harbour-stable').request<OnLedger>('GET', '/v1/assets/hkd-hsi/reserves');
  const mint = (amount: string, reference: string) => client('harbour-stable').submit([{ type: 'issue', account: 'acme-hkd', amount, depositReference: reference }]);
  const status = async (amount: string, reference: string) => {
    const submission = await mint(amount, reference);
    return submission.status === 'sealed' ? (submission.receipt.result.status === 'committed' ? 'committed' : submission.receipt.result.code) : 'pending';
  };
  const importFile = (kind: string, name: string, csv: string, asOf: string, as = 'reserves') => client(as, module!.url).request<{ version: number }>('POST', '/v1/reserves/imports', { kind, name, csv, asOf });

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
    module = await startModule(dir.path, node.url);
  });
  after(async () => {
    await module?.stop();
    await node?.close();
    dir.remove();
  });

  it('refuses a file with a bad row whole, and lets only the issuer, its manager or the operator import', async () => {
    await importFile('fx', 'fx.csv', file('fx-2026-12-04.csv'), '2026-12-04');
    const bad = file('positions-2026-12-04.csv').replace('EFB-2027-02-18,tbill', 'EFB-2027-02-18,bitcoin');
    await assert.rejects(importFile('positions', 'bad.csv', bad, '2026-12-04'), (error: unknown) => error instanceof DepositumApiError && error.status === 400 && /row 3 class: "bitcoin" is not one of/.test(error.message));
    await assert.rejects(importFile('positions', 'p.csv', file('positions-2026-12-04.csv'), '2026-12-04', 'acme'), (error: unknown) => error instanceof DepositumApiError && error.status === 403);
    await assert.rejects(client('acme', module!.url).request('GET', '/v1/reserves/check'), (error: unknown) => error instanceof DepositumApiError && error.status === 403);
    const { data } = await client('auditor', module!.url).request<{ data: { kind: string }[] }>('GET', '/v1/reserves/imports');
    assert.deepEqual(data.map((d) => d.kind), ['fx'], 'the refused file left nothing');
    // A reserve manager, but not this coin's: it may neither read nor import.
    const other = LocalSigner.generate('other-manager', 'other-manager-1');
    KeyStore.at(dir.path).save('other-manager', other);
    const registered = await client('operator').submit([{ type: 'register_participant', participant: { id: 'other-manager', legalName: 'Other Reserve Desk Ltd', lei: '5493008HARBOURHK0233', jurisdiction: 'HK', roles: ['reserve_manager'], kycStatus: 'approved', keys: [{ id: other.keyId, publicKey: other.publicKey }] } }]);
    assert.equal(registered.status === 'sealed' && registered.receipt.result.status, 'committed');
    await eventually('the module to know the new key', async () => client('other-manager', module!.url).request('GET', '/v1/reserves/check').then(() => 'allowed', (error: unknown) => (error instanceof DepositumApiError && error.status === 403 ? 'forbidden' : undefined)).then((answer) => answer === 'forbidden' || undefined));
    await assert.rejects(importFile('fx', 'fx.csv', file('fx-2026-12-04.csv'), '2026-12-04', 'other-manager'), (error: unknown) => error instanceof DepositumApiError && error.status === 403);
  });

  it('throttles under 110%, holds while the module is killed, stops minting under 100%, and lifts once reserves cover the supply again; redemptions always go through', async () => {
    await importFile('positions', 'positions-2026-12-04.csv', file('positions-2026-12-04.csv'), '2026-12-04');
    assert.equal(await status('46000000.00', 'HK-T-1'), 'committed');
    const throttled = await eventually('the throttle', async () => ((await onLedger()).throttle !== null ? onLedger() : undefined));
    assert.equal(throttled.throttle!.ceiling, '4175470.00');

    await module!.kill();
    module = undefined;
    assert.equal(await status('4175470.01', 'HK-T-2'), 'allowance_exceeded', 'the ledger holds the throttle with the module dead');
    assert.equal(await status('1000000.00', 'HK-T-3'), 'committed', 'within the ceiling');
    const redeemed = await client('acme').submit([{ type: 'redeem', account: 'acme-hkd', amount: '100.00', payoutReference: 'HK-PAY-1' }], { cosigners: [KeyStore.at(dir.path).load('harbour-stable')] });
    assert.equal(redeemed.status === 'sealed' && redeemed.receipt.result.status, 'committed', 'redemptions are never throttled');

    module = await startModule(dir.path, node.url);
    // A bank failure: Standard Chartered's deposit marked down from 10 million to 1 million: coverage under 100%.
    await importFile('prices', 'prices.csv', 'instrument_id,market_value\nDEP-SCB-HKD,1000000.00\n', '2026-12-05');
    await eventually('minting stopped', async () => (await onLedger()).throttle?.ceiling === '0.00');
    assert.equal(await status('0.01', 'HK-T-4'), 'allowance_exceeded');

    await importFile('positions', 'positions-2026-12-05.csv', file('positions-2026-12-05.csv'), '2026-12-05');
    const lifted = await eventually('the throttle lifted', async () => ((await onLedger()).throttle === null ? onLedger() : undefined));
    const minter = lifted.minters.find((m) => m.minter === 'harbour-stable')!;
    assert.deepEqual([minter.remaining, minter.withheld], ['953000000.00', '0.00'], 'all that was withheld is given back, less what was minted');
    assert.equal(await status('5000000.00', 'HK-T-5'), 'committed');
  });

  it('rebalancing: anyone of the desk proposes; only the issuer decides, once', async () => {
    const proposal = await client('reserves', module!.url).request<{ id: string; status: string; trades: { action: string; amount: string }[] }>('POST', '/v1/reserves/proposals', {});
    assert.equal(proposal.status, 'proposed');
    await assert.rejects(client('reserves', module!.url).request('POST', `/v1/reserves/proposals/${proposal.id}/decision`, { accept: true }), (error: unknown) => error instanceof DepositumApiError && error.status === 403);
    const decided = await client('harbour-stable', module!.url).request<{ status: string; decidedBy: string }>('POST', `/v1/reserves/proposals/${proposal.id}/decision`, { accept: false, note: 'wait for the bill auction' });
    assert.deepEqual([decided.status, decided.decidedBy], ['rejected', 'harbour-stable']);
    await assert.rejects(client('harbour-stable', module!.url).request('POST', `/v1/reserves/proposals/${proposal.id}/decision`, { accept: true }), (error: unknown) => error instanceof DepositumApiError && error.status === 404);
    await assert.rejects(client('acme', module!.url).request('POST', '/v1/reserves/proposals', {}), (error: unknown) => error instanceof DepositumApiError && error.status === 403);
  });

  it("a report attested on the chain; a holder proves one holding against the attested root but may not read the report", async () => {
    await client('reserves', module!.url).request('POST', '/v1/reserves/reports', { report: '2026-12-05' });
    const attested = await eventually('the attestation', async () => {
      const row = await client('auditor', module!.url).request<{ status: string; sha256: string | null; holdingsRoot: string | null }>('GET', '/v1/reserves/reports/2026-12-05');
      return row.status === 'pending' ? undefined : row;
    });
    assert.equal(attested.status, 'attested');
    const chain = await client('acme').request<{ attestations: { report: string; reportHash: string; holdingsRoot: string; covered: boolean }[]; minters?: unknown }>('GET', '/v1/assets/hkd-hsi/reserves');
    assert.equal(chain.minters, undefined, 'a holder does not see the minters');
    const onChain = chain.attestations.find((a) => a.report === '2026-12-05')!;
    assert.deepEqual([onChain.reportHash, onChain.holdingsRoot, onChain.covered], [attested.sha256, attested.holdingsRoot, true]);
    const proof = await client('acme', module!.url).request<{ root: string; leaf: string }>('GET', '/v1/reserves/reports/2026-12-05/holdings/DEP-HASE-HKD/proof');
    assert.equal(proof.root, onChain.holdingsRoot);
    assert.match(proof.leaf, /"instrumentId":"DEP-HASE-HKD"/);
    await assert.rejects(client('acme', module!.url).request('GET', '/v1/reserves/reports/2026-12-05?format=json'), (error: unknown) => error instanceof DepositumApiError && error.status === 403);
  });
});
