import { validate } from 'ivms101';
import { canonicalJson, sha256Hex } from '../../chain/index.js';
import type { LedgerState, TransactionBody } from '../../core/index.js';
import type { AdmissionPolicy } from '../../node/admission.js';
import { LedgerError } from '../../node/errors.js';
import type { AnyDatabase } from '../kit/database.js';
import { CaseError } from './cases.js';
import { randomUUID } from 'node:crypto';
import type { ListBook } from './book.js';
import { clearedEntries } from './onboarding.js';
import { outcomeOf } from './screening/outcome.js';
import type { ScreeningRow, TravelRuleRow } from './tables.js';

/**
 * Travel Rule data (FATF R.16): the originator and beneficiary of a payment in IVMS101,
 * kept off the chain. The payer's institution sends it first (`POST
 * /v1/compliance/travel-rule`); it is validated against IVMS101.2023's constraints (the
 * `ivms101` package) and named by the SHA-256 of its RFC 8785 JSON; the payment then
 * carries that hash in `travelRule`. At admission, a payment naming a hash must name data
 * sent here for the same two accounts (`travel_rule_invalid` otherwise); whether it must
 * name one at all is the ledger's own rule (`travel_rule_required`). The persons it names
 * are screened against the lists. The data is shown to the payer's and the payee's
 * institutions, compliance and auditors.
 */
export interface SubmittedTravelRule {
  readonly hash: string;
  readonly originatorAccount: string;
  readonly beneficiaryAccount: string;
}

function firstAccount(side: unknown): string | undefined {
  const numbers = (side as { accountNumber?: unknown } | undefined)?.accountNumber;
  return Array.isArray(numbers) && typeof numbers[0] === 'string' ? numbers[0] : undefined;
}

/** The persons the data names, as the matcher screens them: legal persons as entities, natural persons by given and family names. */
function namedParties(data: unknown): { name: string; type: 'person' | 'entity'; side: 'originator' | 'beneficiary' }[] {
  type Named = { legalPerson?: { name?: { nameIdentifier?: { legalPersonName?: string }[] } }; naturalPerson?: { name?: { nameIdentifier?: { primaryIdentifier?: string; secondaryIdentifier?: string }[] } } };
  const record = data as { originator?: { originatorPerson?: Named[] }; beneficiary?: { beneficiaryPerson?: Named[] } };
  const found: { name: string; type: 'person' | 'entity'; side: 'originator' | 'beneficiary' }[] = [];
  for (const [side, persons] of [['originator', record.originator?.originatorPerson], ['beneficiary', record.beneficiary?.beneficiaryPerson]] as const) {
    for (const person of persons ?? []) {
      for (const id of person.legalPerson?.name?.nameIdentifier ?? []) if (id.legalPersonName !== undefined) found.push({ name: id.legalPersonName, type: 'entity', side });
      for (const id of person.naturalPerson?.name?.nameIdentifier ?? []) {
        if (id.primaryIdentifier !== undefined) found.push({ name: [id.secondaryIdentifier, id.primaryIdentifier].filter(Boolean).join(' '), type: 'person', side });
      }
    }
  }
  return found;
}

export class TravelRuleDesk {
  constructor(private readonly db: AnyDatabase, private readonly nowMs: () => number, private readonly book?: ListBook) {}

  /**
   * Screens the persons the data names: a block-level hit refuses the data (and the
   * payment with it), a review-level one is kept as a screening for compliance; both are
   * recorded under the institution that sent the data.
   */
  private async screenParties(data: unknown, submittedBy: string): Promise<void> {
    if (this.book === undefined) return;
    for (const party of namedParties(data)) {
      // A hit compliance cleared for this institution and name does not stop its data again.
      const cleared = await clearedEntries(this.db, submittedBy, party.name);
      const hits = this.book.screener.screen({ name: party.name, type: party.type }).filter((hit) => !cleared.has(`${hit.list}:${hit.entryId}`));
      if (hits.length === 0) continue;
      const row: ScreeningRow = {
        id: randomUUID(), participant: submittedBy, legal_name: party.name, cause: `travel_rule:${party.side}`, outcome: outcomeOf(hits), hits: JSON.stringify(hits),
        list_versions: JSON.stringify(this.book.versions()), screened_at_ms: this.nowMs(), decision: null, decided_by: null, decided_at_ms: null, note: null,
      };
      await this.db.insertInto('compliance_screenings').values(row).execute();
      if (row.outcome === 'block') throw new LedgerError('sanctions_hit', `the ${party.side} "${party.name}" hits ${hits[0]!.list} entry ${hits[0]!.entryId} (${hits[0]!.matchedName}) with score ${hits[0]!.score}: refused; screening ${row.id} awaits compliance`, `payload.${party.side}`);
    }
  }

  async submit(payload: unknown, submittedBy: string): Promise<SubmittedTravelRule> {
    let valid: unknown;
    try {
      valid = validate(payload as never);
    } catch (error) {
      const issues = (JSON.parse((error as Error).message) as { path: (string | number)[]; message: string }[]).slice(0, 5);
      throw new CaseError('invalid', `not valid IVMS101.2023: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    const data = valid as { originator?: unknown; beneficiary?: unknown };
    const originatorAccount = firstAccount(data.originator);
    const beneficiaryAccount = firstAccount(data.beneficiary);
    if (originatorAccount === undefined || beneficiaryAccount === undefined) throw new CaseError('invalid', 'originator.accountNumber and beneficiary.accountNumber must name the paying and the paid token accounts');
    await this.screenParties(valid, submittedBy);
    const text = canonicalJson(payload);
    const hash = sha256Hex(text);
    const row: TravelRuleRow = {
      hash, payload: text, originator_account: originatorAccount, beneficiary_account: beneficiaryAccount, submitted_by: submittedBy, submitted_at_ms: this.nowMs(),
      originator_participant: null, beneficiary_participant: null,
    };
    await this.db.insertInto('compliance_travel_rule').values(row).onConflict((oc) => oc.column('hash').doNothing()).execute();
    return { hash, originatorAccount, beneficiaryAccount };
  }

  async get(hash: string): Promise<TravelRuleRow | undefined> {
    return await this.db.selectFrom('compliance_travel_rule').selectAll().where('hash', '=', hash).executeTakeFirst() as TravelRuleRow | undefined;
  }

  /** Checks each payment naming Travel Rule data against what was sent, and records whose institutions may see it. */
  policy(): AdmissionPolicy {
    return {
      name: 'travel rule data',
      check: async (body: TransactionBody, state: LedgerState) => {
        for (const [index, op] of body.operations.entries()) {
          if (op.type !== 'transfer' || op.travelRule === undefined) continue;
          const param = `body.operations[${index}].travelRule`;
          const row = await this.get(op.travelRule);
          if (row === undefined) throw new LedgerError('travel_rule_invalid', `no Travel Rule data ${op.travelRule} was sent: POST it to /v1/compliance/travel-rule first`, param);
          if (row.originator_account !== op.from || row.beneficiary_account !== op.to) {
            throw new LedgerError('travel_rule_invalid', `Travel Rule data ${op.travelRule} is for ${row.originator_account} → ${row.beneficiary_account}, not ${op.from} → ${op.to}`, param);
          }
          const originator = state.accounts.get(op.from)?.owner ?? null;
          const beneficiary = state.accounts.get(op.to)?.owner ?? null;
          await this.db.updateTable('compliance_travel_rule').set({ originator_participant: originator, beneficiary_participant: beneficiary }).where('hash', '=', row.hash).execute();
        }
      },
    };
  }
}
