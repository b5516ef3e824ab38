import { canonicalJson, type TransactionEnvelope } from '../chain/index.js';
import { applyTransaction, TRANSACTION_VALIDITY_MAX_MS, type Genesis, type LedgerState, type TransactionBody } from '../core/index.js';
import type { AdmittedTransaction } from './engine.js';
import { explainRejection, isAnsweredAtAdmission, LedgerError } from './errors.js';
import type { SignatureVerifier } from './signatures.js';

/**
 * A policy a node applies at admission, after the signatures and the dry run: a bank's
 * rules about who may join or act (sanctions screening of a participant's name, say) that
 * are not the ledger's own. It refuses by throwing a LedgerError; nothing is recorded on
 * the ledger. A module running in the node's process may install one; the state machine
 * never sees it.
 */
export interface AdmissionPolicy {
  readonly name: string;
  check(body: TransactionBody, state: LedgerState): Promise<void>;
}

/**
 * What a signed transaction must pass before the sequencer sees it: the network and the
 * validity window, every signature against the keys in force, and a dry run that answers
 * at once what no later state could cure (an unknown reference, an impossible amount),
 * naming the field and quoting its value. Everything else is for the sequencer to
 * decide in order, and is recorded in the block.
 */
export class Admission {
  private readonly policies: AdmissionPolicy[] = [];

  constructor(private readonly genesis: Genesis, private readonly verifier: SignatureVerifier) {}

  /** Adds a policy, applied after those added before it. */
  addPolicy(policy: AdmissionPolicy): void {
    this.policies.push(policy);
  }

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
    for (const policy of this.policies) await policy.check(envelope.body, state);
    return { envelope, hash, canonicalEnvelope: canonicalJson(envelope), signers: checked.signers, participantsVersion };
  }
}
