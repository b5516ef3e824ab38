import { XMLBuilder } from 'fast-xml-parser';

/**
 * Suspicious transaction reports in goAML XML, the format FIUs on UNODC's goAML (Hong
 * Kong's JFIU among them) take: a `report` with the reporting entity, the submission's
 * codes and date, the local currency, the reporting person, the reason and the action
 * taken, then each `transaction` with its number, date, mode and amount, from a client of
 * the bank (`t_from_my_client`) or not (`t_from`) to a client (`t_to_my_client`) or not
 * (`t_to`), each side an account with its holder as an entity. Elements in the schema's
 * order; codes from the settings (each FIU publishes its own lists).
 */
export interface ReportingEntity {
  /** The bank's id at the FIU (rentity_id). */
  readonly rentityId: string;
  readonly rentityBranch?: string;
  readonly reportingPerson: { readonly firstName: string; readonly lastName: string; readonly email?: string; readonly occupation?: string };
  /** `E`: electronic submission. */
  readonly submissionCode?: string;
  /** The FIU's code for how funds moved (default `K`: account transfer in many code lists). */
  readonly fundsCode?: string;
  /** The FIU's code for the transaction mode (default `E`: electronic). */
  readonly transmodeCode?: string;
  /** The bank's name as an institution in the report. */
  readonly institutionName: string;
  /** The issuers whose tokens are the bank's own: holders of their accounts are its clients (`t_from_my_client`). */
  readonly issuers: readonly string[];
  readonly swift?: string;
}

export interface ReportedParty {
  readonly account: string;
  readonly currency: string;
  readonly holder: { readonly name: string; readonly country: string; readonly lei?: string };
  /** Whether the holder is the bank's own client (a participant whose token it issues). */
  readonly myClient: boolean;
}

export interface ReportedTransaction {
  readonly number: string;
  readonly internalReference: string;
  readonly dateIso: string;
  readonly amountLocal: string;
  readonly description: string;
  readonly from: ReportedParty;
  readonly to: ReportedParty;
}

export interface SuspiciousTransactionReport {
  readonly entityReference: string;
  readonly submissionDateIso: string;
  readonly currencyCodeLocal: string;
  readonly reason: string;
  readonly action: string;
  readonly indicators: readonly string[];
  readonly transactions: readonly ReportedTransaction[];
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: true, processEntities: true });

/** goAML dates: local date-time without zone or fraction. */
export function goamlDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** An account and its holder, as goAML describes one side of a transaction. */
function accountElement(party: ReportedParty, entity: ReportingEntity) {
  return {
    institution_name: entity.institutionName,
    ...(entity.swift !== undefined && { swift: entity.swift }),
    account: party.account,
    currency_code: party.currency,
    account_name: party.holder.name,
    t_entity: { name: party.holder.name, incorporation_country_code: party.holder.country, ...(party.holder.lei !== undefined && { comments: `LEI ${party.holder.lei}` }) },
  };
}

function side(which: 'from' | 'to', party: ReportedParty, entity: ReportingEntity) {
  return { [`${which}_funds_code`]: entity.fundsCode ?? 'K', [`${which}_account`]: accountElement(party, entity), [`${which}_country`]: party.holder.country };
}

export function buildStrXml(report: SuspiciousTransactionReport, entity: ReportingEntity): string {
  const person = entity.reportingPerson;
  const document = {
    report: {
      rentity_id: entity.rentityId,
      ...(entity.rentityBranch !== undefined && { rentity_branch: entity.rentityBranch }),
      submission_code: entity.submissionCode ?? 'E',
      report_code: 'STR',
      entity_reference: report.entityReference,
      submission_date: report.submissionDateIso,
      currency_code_local: report.currencyCodeLocal,
      reporting_person: {
        first_name: person.firstName,
        last_name: person.lastName,
        ...(person.email !== undefined && { email: person.email }),
        ...(person.occupation !== undefined && { occupation: person.occupation }),
      },
      reason: report.reason,
      action: report.action,
      transaction: report.transactions.map((t) => ({
        transactionnumber: t.number,
        internal_ref_number: t.internalReference,
        transaction_location: 'Depositum ledger',
        transaction_description: t.description,
        date_transaction: t.dateIso,
        transmode_code: entity.transmodeCode ?? 'E',
        amount_local: t.amountLocal,
        [t.from.myClient ? 't_from_my_client' : 't_from']: side('from', t.from, entity),
        [t.to.myClient ? 't_to_my_client' : 't_to']: side('to', t.to, entity),
      })),
      report_indicators: { indicator: [...report.indicators] },
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(document) as string}`;
}
