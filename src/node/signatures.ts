import { Piscina } from 'piscina';
import type { SignatureCheck, TransactionEnvelope } from '../chain/index.js';
import type { LedgerState } from '../core/index.js';
import verifyBatch, { type SignatureTask } from './signature-worker.js';

/** Tasks sent to a worker in one message: enough to amortize the hand-off, few enough to spread over threads. */
const BATCH_TASKS_MAX = 64;

interface Pending {
  task: SignatureTask;
  resolve: (valid: boolean) => void;
}

/**
 * Checks transaction signatures, the costliest step of admission (Ed25519 verifies
 * about 8,000 per second per core). With `threads` > 0 the cryptography runs on a pool
 * of worker threads, so every core verifies while the main thread serves requests and
 * sequences blocks; with 0 it runs inline (tests, small tools).
 */
export class SignatureVerifier {
  private readonly pool: Piscina | null;
  private queue: Pending[] = [];
  private flushScheduled = false;

  constructor(threads: number) {
    // Workers need compiled JavaScript: run from TypeScript source (tests, tsx), a worker
    // thread cannot load the .ts worker on Node 20, so verification stays inline there.
    const compiled = import.meta.url.endsWith('.js');
    this.pool = threads > 0 && compiled ? new Piscina({ filename: new URL('./signature-worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads }) : null;
  }

  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /**
   * The verdicts admission gives: keys are looked up in `state` now, and
   * every signature must verify.
   */
  async check(envelope: TransactionEnvelope, hash: string, state: LedgerState): Promise<SignatureCheck> {
    if (envelope.signatures.length === 0) return { ok: false, reason: 'signature_missing' };
    const tasks: { signer: string; task: SignatureTask }[] = [];
    const signers = new Set<string>();
    for (const { signer, key, signature } of envelope.signatures) {
      if (signers.has(signer)) return { ok: false, reason: 'signer_repeated', signer };
      const publicKey = state.participants.get(signer)?.keys.find((entry) => entry.id === key)?.publicKey;
      if (publicKey === undefined) return { ok: false, reason: 'signer_unknown', signer };
      signers.add(signer);
      tasks.push({ signer, task: { publicKey, hash, signature } });
    }
    const verdicts = await Promise.all(tasks.map(({ task }) => this.verify(task)));
    const invalid = verdicts.indexOf(false);
    if (invalid >= 0) return { ok: false, reason: 'signature_invalid', signer: tasks[invalid]!.signer };
    if (!signers.has(envelope.body.sender)) return { ok: false, reason: 'signature_missing', signer: envelope.body.sender };
    return { ok: true, signers };
  }

  private verify(task: SignatureTask): Promise<boolean> {
    if (this.pool === null) return Promise.resolve(verifyBatch([task])[0]!);
    return new Promise((resolve) => {
      this.queue.push({ task, resolve });
      if (this.queue.length >= BATCH_TASKS_MAX) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH_TASKS_MAX);
      void (this.pool!.run(batch.map((pending) => pending.task)) as Promise<boolean[]>).then(
        (verdicts) => batch.forEach((pending, i) => pending.resolve(verdicts[i] === true)),
        () => batch.forEach((pending) => pending.resolve(false)),
      );
    }
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
