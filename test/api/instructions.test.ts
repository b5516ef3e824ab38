import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiFixture, type ApiFixture } from './fixture.js';

const MONTH_END = { rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0', timeZone: 'America/New_York' };

describe('standing instructions through the API', () => {
  let f: ApiFixture;
  const submit = async (signer: string, operations: unknown[], reference?: string) => {
    const envelope = await f.envelope(signer, operations as never, reference === undefined ? {} : { reference });
    return (await f.call(signer, 'POST', '/v1/transactions', envelope)).json;
  };
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-I' }, { type: 'issue', account: 'globex-usd', amount: '500.00', depositReference: 'DEP-J' }]);
    await f.t.submit('operator', [{ type: 'open_account', account: 'acme-reserve', owner: 'acme', asset: 'usd-fmb' }]);
    const set = await submit('acme', [
      { type: 'set_standing_instruction', instruction: 'month-end', kind: 'sweep', from: 'acme-usd', to: 'acme-reserve', keep: '250.00', schedule: MONTH_END },
      { type: 'set_standing_instruction', instruction: 'royalties', kind: 'split', from: 'acme-usd', to: 'initech-usd', reference: 'ROY-1', share: 1000 },
    ]);
    assert.deepEqual(set.receipt.result, { status: 'committed' }, JSON.stringify(set));
  });
  after(() => f.close());

  it('shows instructions to their owner and overseers, never to the account they pay', async () => {
    const { status, json } = await f.call('acme', 'GET', '/v1/instructions');
    assert.equal(status, 200);
    assert.deepEqual(json.data.map((i: { id: string }) => i.id), ['month-end', 'royalties']);
    const [sweep] = json.data;
    assert.deepEqual([sweep.kind, sweep.keep, sweep.schedule, sweep.status, sweep.upcoming.length], ['sweep', '250.00', MONTH_END, 'active', 5]);
    assert.equal(sweep.nextRunAtMs, sweep.upcoming[0]);
    assert.equal((await f.call('initech', 'GET', '/v1/instructions/royalties')).status, 403);
    assert.equal((await f.call('initech', 'GET', '/v1/instructions?owner=acme')).status, 403);
    assert.deepEqual((await f.call('initech', 'GET', '/v1/instructions')).json.data, []);
    assert.equal((await f.call('auditor', 'GET', '/v1/instructions?owner=acme')).json.data.length, 2);
    const missing = await f.call('acme', 'GET', '/v1/instructions/nope');
    assert.deepEqual([missing.status, missing.json.error.code], [404, 'instruction_not_found']);
  });

  it('splits a payment with its reference at the next block, and the payer sees only its payment', async () => {
    const paid = await submit('globex', [{ type: 'transfer', from: 'globex-usd', to: 'acme-usd', amount: '100.00' }], 'ROY-1');
    assert.deepEqual(paid.receipt.result, { status: 'committed' });
    for (const deadline = Date.now() + 30_000; f.t.ledger.state.accounts.get('initech-usd')!.availableMinor !== 1_000n; await new Promise((resolve) => setTimeout(resolve, 10))) {
      assert.ok(Date.now() < deadline, 'the split never ran');
    }
    const globexSees = (await f.call('globex', 'GET', '/v1/events?types=instruction_executed')).json.data;
    assert.deepEqual(globexSees, [], 'the payer does not learn of the payee\'s instructions');
    const acmeSees = (await f.call('acme', 'GET', '/v1/events?types=instruction_executed')).json.data;
    assert.deepEqual(acmeSees.map((e: { data: { instruction: string; amount: string; trigger: string } }) => [e.data.instruction, e.data.amount, e.data.trigger]), [['royalties', '10.00', 'payment']]);
  });

  it('simulates an instruction over the days ahead, and names the conflict a top-up would make', async () => {
    const topUp = { type: 'set_standing_instruction', instruction: 'floor', kind: 'top_up', from: 'acme-reserve', to: 'acme-usd', floor: '300.00', cap: '100.00', onPayment: true };
    const { status, json } = await f.call('acme', 'POST', '/v1/simulate', { operations: [topUp], days: 92 });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.schedule.complete, true);
    assert.deepEqual(json.schedule.runs.map((run: { instruction: string }) => run.instruction), ['month-end', 'month-end', 'month-end']);
    assert.equal(json.schedule.runs[0].events.find((e: { type: string }) => e.type === 'instruction_executed').data.amount, '840.00');
    assert.deepEqual(json.conflicts.map((c: { kind: string; instructions: string[] }) => [c.kind, c.instructions]), [['cycle', ['floor', 'month-end']]]);
    assert.equal(f.t.ledger.state.standing_instructions.get('floor'), undefined, 'nothing was set');
    const conflicts = await f.call('acme', 'GET', '/v1/instructions/conflicts?days=10');
    assert.deepEqual(conflicts.json.conflicts, [], 'none among what is set');
    const bad = await f.call('acme', 'POST', '/v1/simulate', { operations: [topUp], days: 3, atomic: false });
    assert.deepEqual([bad.status, bad.json.error.code, bad.json.error.param], [400, 'invalid_request', 'days']);
  });

  it('refuses a schedule it cannot read, with why', async () => {
    const refused = await submit('acme', [{ type: 'set_standing_instruction', instruction: 'bad', kind: 'pay', from: 'acme-usd', to: 'globex-usd', amount: '1.00', schedule: { cron: '0 9 31 2 *' } }]);
    assert.equal(refused.error?.code ?? refused.receipt?.result.code, 'invalid_schedule', JSON.stringify(refused));
  });
});
