import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { newSalt, signTransaction, type LocalSigner, type Receipt, type Signer } from '../src/chain/index.js';
import { checkInvariants, type Operation, type TransactionBody } from '../src/core/index.js';
import { createDemoNetwork, demoSetup, type DemoNetwork } from '../src/node/demo.js';
import { Ledger } from '../src/node/ledger.js';
import type { SequencerOptions } from '../src/node/sequencer.js';
import Database from 'better-sqlite3';
import { BlockRecordView, encodeBlockRecord, type TransactionRecord } from '../src/store/block-record.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';

export const NETWORK = 'depositum-test';

export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'depositum-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A demo ledger on a fresh SQLite file, set up and ready for payments. */
export interface TestLedger {
  ledger: Ledger;
  network: DemoNetwork;
  dir: string;
  /** Signs with the named participants (the first is the sender) and waits for the receipt. */
  submit(signers: string | string[], operations: Operation[], extra?: Partial<TransactionBody>): Promise<Receipt>;
  /** Invariant breaches seen after any block so far (checked after every block). */
  violations: string[];
  close(): Promise<void>;
}

let counter = 0;

export function body(network: DemoNetwork, sender: string, operations: Operation[], extra: Partial<TransactionBody> = {}): TransactionBody {
  counter += 1;
  return { network: network.genesis.network, id: `t-${process.pid}-${counter}`, sender, validUntilMs: Date.now() + 60_000, operations, salt: newSalt(), ...extra };
}

export function signerOf(network: DemoNetwork, participant: string): LocalSigner {
  const signer = network.signers.get(participant);
  if (signer === undefined) throw new Error(`no demo signer ${participant}`);
  return signer;
}

export async function openTestLedger(options: { sequencer?: Partial<SequencerOptions>; dir?: string; network?: DemoNetwork; store?: Store; clock?: () => number } = {}): Promise<TestLedger> {
  const temp = options.dir === undefined ? tempDir() : null;
  const dir = options.dir ?? temp!.path;
  const network = options.network ?? createDemoNetwork(NETWORK, Date.now());
  const store = options.store ?? new SqliteStore(join(dir, 'ledger.sqlite'));
  const ledger = await Ledger.open({ store, genesis: network.genesis, validators: [network.validator], sequencer: { blockIntervalMs: 0, ...options.sequencer }, ...(options.clock !== undefined && { clock: options.clock }) });
  const violations: string[] = [];
  ledger.on('block', (committed) => {
    for (const v of checkInvariants(ledger.state)) violations.push(`block ${committed.block.header.height}: ${v.invariant} ${v.subject} ${v.detail}`);
  });
  const submit = async (signers: string | string[], operations: Operation[], extra: Partial<TransactionBody> = {}): Promise<Receipt> => {
    const names = Array.isArray(signers) ? signers : [signers];
    const envelope = await signTransaction(body(network, names[0]!, operations, extra), names.map((name) => signerOf(network, name)));
    const outcome = await ledger.submit(envelope, true);
    if (outcome.status !== 'sealed') throw new Error('expected a sealed receipt');
    return outcome.receipt;
  };
  if (options.dir === undefined || ledger.engine.head === null) {
    for (const step of demoSetup(network, options.clock?.() ?? Date.now())) {
      const envelope = await signTransaction(step.body, [signerOf(network, step.signer)]);
      const outcome = await ledger.submit(envelope, true);
      if (outcome.status !== 'sealed' || outcome.receipt.result.status !== 'committed') throw new Error(`demo setup failed: ${JSON.stringify(outcome)}`);
    }
  }
  return {
    ledger, network, dir, submit, violations,
    close: async () => {
      await ledger.close();
      temp?.remove();
    },
  };
}

/**
 * A validator signer the test can hold: while the gate is closed, the sequencer is stuck
 * signing a block that is applied in memory but not yet durable. `waiting` counts the
 * blocks at the gate, so a test acts once a block is there, never after a guessed delay.
 */
export function gatedSigner(signer: Signer) {
  let open: Promise<void> = Promise.resolve();
  let release = (): void => undefined;
  const gate = {
    waiting: 0,
    signer: {
      participant: signer.participant, keyId: signer.keyId, publicKey: signer.publicKey,
      sign: async (message: Uint8Array) => {
        gate.waiting += 1;
        await open;
        gate.waiting -= 1;
        return signer.sign(message);
      },
    } satisfies Signer,
    close: () => { open = new Promise((resolve) => (release = resolve)); },
    open: () => release(),
    /** Resolves once a block waits at the gate. */
    reached: async (): Promise<void> => {
      while (gate.waiting === 0) await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return gate;
}

/**
 * Polls until `check` holds; fails naming `what` after `timeoutMs`. The default is
 * generous: a test waits for an event, however slow the machine, and only a
 * deadline far beyond any healthy run fails it.
 */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Rewrites transactions in a closed SQLite ledger's block log, as damage or a forger
 * would: `change` returns the transaction to store in its place (the same object to
 * leave it). Returns how many it changed, so a test can insist its edit did something.
 */
export function editStoredTransactions(file: string, change: (tx: TransactionRecord, height: number, position: number) => TransactionRecord): number {
  const db = new Database(file);
  let changed = 0;
  try {
    const setRecord = db.prepare('UPDATE blocks SET record = ? WHERE height = ?');
    for (const { height, record } of db.prepare<[], { height: number; record: Buffer }>('SELECT height, record FROM blocks ORDER BY height').all()) {
      const decoded = new BlockRecordView(height, record).decode();
      let edits = 0;
      const transactions = decoded.transactions.map((tx, position) => {
        const next = change(tx, height, position);
        if (next !== tx) edits += 1;
        return next;
      });
      if (edits > 0) setRecord.run(encodeBlockRecord({ ...decoded, transactions }), height);
      changed += edits;
    }
  } finally {
    db.close();
  }
  return changed;
}

/** A sample's value in a Prometheus text exposition (NaN when absent). */
export function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}
