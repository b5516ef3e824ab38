import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { readIncoming, SchemaDirectory } from '../../../src/modules/banking/iso20022/index.js';
import { MessageReader } from '../../../src/modules/banking/iso20022/reader.js';
import { buildCamt053, type SimEntry } from '../../../src/modules/banking/sim/messages.js';

/** The official XSDs, read where the project's shared data lives (never copied into the repo). */
const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));
/** The reader's current thread, if it has one (private: what the tests watch it do). */
const threadOf = (reader: MessageReader) => (Reflect.get(reader, 'thread') as { worker: Worker } | null)?.worker ?? null;

describe("the bank's messages read on the reader's thread", () => {
  assert.ok(existsSync(XSD_DIR), `the ISO 20022 XSDs are expected in ${XSD_DIR}`);
  const reader = new MessageReader(XSD_DIR);
  after(() => reader.close());

  it('answers each message in order, as read on the module\'s own thread, with refusals as outcomes', async () => {
    const camt054 = fixture('camt.054.001.08.xml');
    const camt053 = fixture('camt.053.001.02.xml');
    const invalid = Buffer.from(camt054.toString('utf8').replace(/<Ccy>USD<\/Ccy>|Ccy="USD"/, 'Ccy="US"'));
    const unknown = Buffer.from(camt054.toString('utf8').replaceAll('camt.054.001.08', 'camt.054.001.99'));
    const outcomes = await reader.read([camt054, Buffer.from('<Document><unclosed></Document>'), invalid, unknown, camt053]);
    assert.equal(outcomes.length, 5);
    const schemas = new SchemaDirectory(XSD_DIR);
    assert.deepEqual(outcomes[0], { message: await readIncoming(camt054, schemas) });
    assert.deepEqual(outcomes[4], { message: await readIncoming(camt053, schemas) });
    const refusals = outcomes.slice(1, 4).map((outcome) => ('refusal' in outcome ? outcome.refusal : 'read'));
    assert.match(refusals[0]!, /^not well-formed XML/);
    assert.match(refusals[1]!, /camt\.054\.001\.08 fails camt\.054\.001\.08\.xsd/);
    assert.match(refusals[2]!, /camt\.054\.001\.99/);
  });

  it('answers requests made together in the order they were made', async () => {
    const camt054 = fixture('camt.054.001.08.xml');
    const reads = Array.from({ length: 6 }, (_, i) => reader.read(Array.from({ length: i + 1 }, () => camt054)));
    assert.deepEqual((await Promise.all(reads)).map((outcomes) => outcomes.length), [1, 2, 3, 4, 5, 6]);
  });

  it('reads a day\'s statement off the module\'s thread: the event loop turns while it is read', async () => {
    const entries: SimEntry[] = Array.from({ length: 20_000 }, (_, i) => ({
      reference: `STMT${String(i).padStart(10, '0')}`, amount: '1.00', side: 'credit', bookingDate: '2026-12-07', endToEndId: `E2E-${i}`, counterparty: { name: 'Globex Corp', account: 'DE89370400440532013000' },
    }));
    const statement = Buffer.from(buildCamt053('STMT-LARGE', { id: 'STMT-LARGE', sequence: 1, from: '2026-12-06T00:00:00Z', to: '2026-12-07T00:00:00Z' }, { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33' },
      [{ type: 'OPBD', amount: '0.00', date: '2026-12-07' }, { type: 'CLBD', amount: '20000.00', date: '2026-12-07' }], entries));
    const order: string[] = [];
    const read = reader.read([statement]).then((outcomes) => {
      order.push('read');
      return outcomes;
    });
    // Read on this thread, the whole statement would be read before the loop's next turn.
    setImmediate(() => order.push('turned'));
    const [outcome] = await read;
    assert.deepEqual(order, ['turned', 'read']);
    assert.ok(outcome !== undefined && 'message' in outcome && 'reports' in outcome.message);
    assert.equal(outcome.message.reports[0]!.entries.length, 20_000);
    // 25 MB read: the thread whose heap it grew is given up, its memory with it.
    assert.equal(threadOf(reader), null);
  });

  it('refuses what it was asked when its thread dies, and reads again afterwards on a new thread', async () => {
    const camt054 = fixture('camt.054.001.08.xml');
    await reader.read([camt054]);
    const thread = threadOf(reader);
    assert.ok(thread !== null, 'a credit notification does not give the thread up');
    // Asked of a thread already stopping: never answered, refused when it exits.
    const stopped = thread.terminate();
    const refused = assert.rejects(reader.read([camt054]), /the message reader stopped/);
    await stopped;
    await refused;
    const [outcome] = await reader.read([camt054]);
    assert.ok(outcome !== undefined && 'message' in outcome && outcome.message.messageType === 'camt.054');
    assert.notEqual(threadOf(reader), thread);
  });

  it('refuses what it was asked when it is closed, and reads again afterwards on a new thread', async () => {
    const camt054 = fixture('camt.054.001.08.xml');
    const refused = assert.rejects(reader.read([camt054]), /the message reader is closed/);
    await reader.close();
    await refused;
    const [outcome] = await reader.read([camt054]);
    assert.ok(outcome !== undefined && 'message' in outcome && outcome.message.messageType === 'camt.054');
  });
});
