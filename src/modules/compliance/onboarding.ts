import { randomUUID } from 'node:crypto';
import type { LedgerState, Operation, TransactionBody } from '../../core/index.js';
import type { AdmissionPolicy } from '../../node/admission.js';
import { LedgerError } from '../../node/errors.js';
import type { AnyDatabase } from '../kit/database.js';
import type { ListBook } from './book.js';
import { outcomeOf } from './screening/outcome.js';
import type { Hit } from './screening/screener.js';
import type { ScreeningRow } from './tables.js';

/**
 * Sanctions screening at the registry's door. A participant registered or renamed, or
 * its KYC approved, is screened by legal name before the transaction is admitted:
 * * a hit at the block threshold refuses it (`sanctions_hit`), and the refusal is kept
 *   as a screening for compliance to decide;
 * * a hit at the review threshold holds it for review: it may join with KYC pending (so
 *   it cannot transact), and its approval is refused (`screening_review_required`) until
 *   compliance clears the hit.
 * A hit compliance cleared for this participant and name does not stop it again; a new
 * one (a list update) does.
 */
interface Subject {
  readonly participant: string;
  readonly legalName: string;
  readonly approving: boolean;
  readonly param: string;
}

function subjectOf(op: Operation, index: number, state: LedgerState): Subject | undefined {
  if (op.type === 'register_participant') {
    return { participant: op.participant.id, legalName: op.participant.legalName, approving: op.participant.kycStatus === 'approved', param: `body.operations[${index}].participant.legalName` };
  }
  if (op.type !== 'update_participant') return undefined;
  const current = state.participants.get(op.participant);
  if (current === undefined) return undefined;
  const renamed = op.changes.legalName !== undefined && op.changes.legalName !== current.legalName;
  const approving = op.changes.kycStatus === 'approved';
  if (!renamed && !approving) return undefined;
  return { participant: op.participant, legalName: op.changes.legalName ?? current.legalName, approving: (op.changes.kycStatus ?? current.kycStatus) === 'approved', param: `body.operations[${index}].changes.${renamed ? 'legalName' : 'kycStatus'}` };
}

const entryOf = (hit: Pick<Hit, 'list' | 'entryId'>) => `${hit.list}:${hit.entryId}`;

/** The list entries compliance has cleared for this participant under this name. */
export async function clearedEntries(db: AnyDatabase, participant: string, legalName: string): Promise<Set<string>> {
  const rows = await db.selectFrom('compliance_screenings').select(['hits']).where('participant', '=', participant).where('legal_name', '=', legalName).where('decision', '=', 'cleared').execute() as Pick<ScreeningRow, 'hits'>[];
  return new Set(rows.flatMap((row) => (JSON.parse(row.hits) as Hit[]).map(entryOf)));
}

export function onboardingPolicy(db: AnyDatabase, book: ListBook, nowMs: () => number): AdmissionPolicy {
  async function refuse(subject: Subject, hits: readonly Hit[]): Promise<never> {
    const row: ScreeningRow = {
      id: randomUUID(), participant: subject.participant, legal_name: subject.legalName, cause: 'refused_at_admission', outcome: outcomeOf(hits),
      hits: JSON.stringify(hits), list_versions: JSON.stringify(book.versions()), screened_at_ms: nowMs(), decision: null, decided_by: null, decided_at_ms: null, note: null,
    };
    await db.insertInto('compliance_screenings').values(row).execute();
    const top = hits[0]!;
    throw new LedgerError('sanctions_hit', `"${subject.legalName}" hits ${top.list} entry ${top.entryId} (${top.matchedName}) with score ${top.score}: refused; screening ${row.id} awaits compliance`, subject.param);
  }

  return {
    name: 'sanctions screening',
    async check(body: TransactionBody, state: LedgerState): Promise<void> {
      for (const [index, op] of body.operations.entries()) {
        const subject = subjectOf(op, index, state);
        if (subject === undefined) continue;
        const hits = book.screener.screen({ name: subject.legalName, type: 'entity' });
        if (hits.length === 0) continue;
        const cleared = await clearedEntries(db, subject.participant, subject.legalName);
        const open = hits.filter((hit) => !cleared.has(entryOf(hit)));
        if (open.some((hit) => hit.decision === 'block')) await refuse(subject, open);
        if (open.length > 0 && subject.approving) {
          throw new LedgerError('screening_review_required', `"${subject.legalName}" hits ${open[0]!.list} entry ${open[0]!.entryId} (${open[0]!.matchedName}) with score ${open[0]!.score}: it may join with KYC pending; approval waits for compliance to clear the hit`, subject.param);
        }
      }
    },
  };
}
