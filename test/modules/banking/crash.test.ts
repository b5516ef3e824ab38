import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BankCore } from '../../../src/modules/banking/sim/core.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';
import { startNodeProcess, type NodeProcess } from '../../process.js';

/**
 * The banking module in a demo node's process, killed with SIGKILL while it works through
 * the bank's file drop: started again, it takes the files left in in/ and mints what is
 * missing. No deposit is lost or minted twice.
 */
describe('the banking module killed mid-file', () => {
  const dir = tempDir();
  const drop = join(dir.path, 'bank-link');
  let node: NodeProcess | undefined;
  after(async () => {
    await node?.stop().catch(() => undefined);
    dir.remove();
  });

  it('mints every deposit exactly once across a kill -9 and a restart', async () => {
    node = await startNodeProcess(dir.path, { args: ['--modules', 'banking'] });
    const client = (participant: string) => new DepositumClient({ url: node!.url, signer: KeyStore.at(dir.path).load(participant) });
    await client('first-meridian').request('POST', '/v1/banking/links', { bankAccount: 'ACME-DDA-4410', tokenAccount: 'acme-usd' });
    const bank = new BankCore(drop);
    bank.open({ omnibus: { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' }, decimals: 2, balance: '0.00', clients: { 'ACME-DDA-4410': { name: 'Acme Logistics Inc.', balance: '1000000.00' } } });
    const before = (await client('auditor').account('acme-usd')).available;
    const count = 400;
    const processed = () => readdirSync(join(drop, 'processed')).length;
    // The bank keeps sending (some notifications twice); the node is killed as soon as the module has taken some, while it works on more.
    let killed = false;
    for (let i = 0; i < count; i += 1) {
      await bank.deposit('ACME-DDA-4410', '1.00', { duplicate: i % 50 === 0 });
      if (!killed && processed() > 0) {
        await node.kill();
        killed = true;
      }
    }
    if (!killed) {
      await eventually('the module part-way through', async () => processed() > 0);
      await node.kill();
    }
    const waiting = readdirSync(join(drop, 'in')).filter((name) => name.endsWith('.xml')).length;
    assert.ok(waiting > 0, 'the kill came before the module had taken every file');

    node = await startNodeProcess(dir.path, { args: ['--modules', 'banking'] });
    await eventually('every file taken', async () => readdirSync(join(drop, 'in')).filter((name) => name.endsWith('.xml')).length === 0, 180_000);
    assert.deepEqual(readdirSync(join(drop, 'failed')), [], 'nothing set aside');
    const minted = Math.round((Number((await client('auditor').account('acme-usd')).available) - Number(before)) * 100);
    assert.equal(minted, count * 100, 'each deposit minted exactly once');
    const credits = (await client('first-meridian').request<{ data: { status: string }[]; has_more: boolean }>('GET', '/v1/banking/credits?limit=500')).data;
    assert.deepEqual([credits.length, credits.every((c) => c.status === 'minted')], [count, true]);
  });
});
