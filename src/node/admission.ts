import { canonicalJson, type TransactionEnvelope } from '../chain/index.js';
import { applyTransaction, TRANSACTION_VALIDITY_MAX_MS, type Genesis, type LedgerState } from '../core/index.js';
import type { AdmittedTransaction } from './engine.js';
import { explainRejection, isAnsweredAtAdmission, LedgerError } from './errors.js';
import type { SignatureVerifier } from './signatures.js';

/**
 * What a signed transaction must pass before the sequencer sees it: the network and the
 * validity window, every signature against the keys in force, and a dry run that answers
 * at once what no later state could cure (an unknown reference, an impossible amount),
 * naming the field and quoting its value. Everything else is for the sequencer to
 * decide in order, and is recorded in the block.
 */
export class Admission {
  constructor(private readonly genesis: Genesis, private readonly verifier: SignatureVerifier) {}

  /** The network and validity window, before anything costly. */
  checkFrame(envelope: TransactionEnvelope, nowMs: number): void {
    const { body } = envelope;
    if (body.network !== this.genesis.network) throw new LedgerError('network_mismatch', `this node serves network ${this.genesis.network}, not ${body.network}`, 'body.network');
    if (body.validUntilMs < nowMs) throw new LedgerError('transaction_expired', `valid-until ${body.validUntilMs} is before the ledger time ${nowMs}`, 'body.validUntilMs');
    if (body.validUntilMs > nowMs + TRANSACTION_VALIDITY_MAX_MS) throw new LedgerError('validity_too_long', `valid-until may be at most ${TRANSACTION_VALIDITY_MAX_MS} ms ahead`, 'body.validUntilMs');
  }

  async admit(envelope: TransactionEnvelope, hash: string, state: LedgerState, nowMs: number): Promise<AdmittedTransaction> {
    // The keys are those in force now; if a participant changes before sequencing, the sequencer checks again.
    const participantsVersion = state.participantsVersion;
    const checked = await this.verifier.check(envelope, hash, state);
    if (!checked.ok) {
      const who = checked.signer === undefined ? '' : ` (${checked.signer})`;
      throw new LedgerError(checked.reason, `transaction signature check failed: ${checked.reason.replace('_', ' ')}${who}`, 'signatures');
    }
    // A bulk file (atomic: false) is never refused for one bad line: each operation's fate is recorded.
    const dryRun = envelope.body.atomic === false ? null : applyTransaction(state, { body: envelope.body, signers: checked.signers }, nowMs, true);
    const refusal = dryRun?.result.status === 'rejected' ? dryRun.explanations[0] : undefined;
    if (refusal !== undefined && isAnsweredAtAdmission(refusal.code)) {
      const { message, param } = explainRejection(refusal);
      throw new LedgerError(refusal.code, message, param);
    }
    return { envelope, hash, canonicalEnvelope: canonicalJson(envelope), signers: checked.signers, participantsVersion };
  }
}
