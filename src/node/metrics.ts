import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Ledger } from './ledger.js';

/**
 * The node's Prometheus metrics, on a registry of its own (one per node, so tests and
 * several nodes in one process do not collide; the node's modules add their runners'). Figures come from the ledger's block
 * events, not from polling the store.
 */
export function nodeMetrics(ledger: Ledger, registry = new Registry()): Registry {
  collectDefaultMetrics({ register: registry });
  new Gauge({ name: 'depositum_block_height', help: 'Height of the last durable block', registers: [registry], collect() { this.set(ledger.engine.head?.header.height ?? 0); } });
  new Gauge({ name: 'depositum_sequencer_queue_depth', help: 'Admitted transactions waiting for the sequencer', registers: [registry], collect() { this.set(ledger.queueDepth); } });
  new Gauge({ name: 'depositum_sequencer_role', help: '1 while this node sequences blocks', registers: [registry], collect() { this.set(ledger.role === 'sequencer' && ledger.engine.failed === null ? 1 : 0); } });
  new Gauge({ name: 'depositum_signature_workers', help: 'Worker threads verifying signatures', registers: [registry], collect() { this.set(ledger.verifierThreads); } });
  const commitSeconds = new Histogram({ name: 'depositum_block_commit_seconds', help: 'From cutting a block to its being durable', buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1], registers: [registry] });
  const blockSize = new Histogram({ name: 'depositum_block_transactions', help: 'Transactions per block', buckets: [1, 10, 100, 500, 1000, 2000, 4096], registers: [registry] });
  const transactions = new Counter({ name: 'depositum_transactions_total', help: 'Transactions applied on this node (sequenced or followed), by result', labelNames: ['result'], registers: [registry] });
  ledger.on('block', (committed, seconds) => {
    if (ledger.role === 'sequencer') commitSeconds.observe(seconds);
    blockSize.observe(committed.transactions.length);
    for (const tx of committed.transactions) transactions.inc({ result: tx.result.status });
  });
  return registry;
}
