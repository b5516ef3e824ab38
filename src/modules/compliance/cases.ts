import { randomUUID } from 'node:crypto';
import type { DepositumClient } from '../../sdk/index.js';
import type { AnyDatabase } from './../kit/database.js';
import type { AlertRow, CaseNoteRow, CaseRow } from './tables.js';

/**
 * Cases: alerts a compliance officer works together, to a decision. A case is opened on
 * open alerts (each alert in one case at most), assigned, commented, given attachments (a
 * document's name and SHA-256: the file stays in the bank's records), escalated, and
 * decided once: closed as a false positive, or confirmed. Confirming may act on the
 * ledger: freeze an account, signed by the module's compliance identity (carried out by
 * `carryOut`, exactly once: the transaction's id is derived from the case).
 */
export class CaseError extends Error {
  constructor(readonly code: 'not_found' | 'conflict' | 'invalid', message: string) {
    super(message);
  }
}

export type CaseAction = { readonly freeze: string };
export type NoteKind = 'comment' | 'attachment' | 'assignment' | 'escalation';

export class CaseDesk {
  constructor(private readonly db: AnyDatabase, private readonly nowMs: () => number) {}

  /** The open alerts whose evidence involves the account: its own, and the patterns it is part of. */
  async openAlertsInvolving(account: string): Promise<string[]> {
    const rows = await this.db.selectFrom('compliance_alerts').selectAll().where('status', '=', 'open').execute() as AlertRow[];
    return rows.filter((row) => {
      if (row.subject === account) return true;
      const evidence = JSON.parse(row.evidence) as { payments: { from: string; to: string }[]; path?: string[] };
      return evidence.path?.includes(account) === true || evidence.payments.some((p) => p.from === account || p.to === account);
    }).map((row) => row.id);
  }

  async open(caseId: string | undefined, alertIds: readonly string[], officer: string, assignee: string | undefined, note: string | undefined): Promise<CaseRow> {
    const id = caseId ?? randomUUID();
    if (alertIds.length === 0) throw new CaseError('invalid', 'a case is opened on at least one open alert');
    if (await this.get(id) !== undefined) throw new CaseError('conflict', `case ${id} exists already`);
    return this.db.transaction().execute(async (trx) => {
      const alerts = await trx.selectFrom('compliance_alerts').selectAll().where('id', 'in', [...alertIds]).execute() as AlertRow[];
      const missing = alertIds.filter((alertId) => !alerts.some((alert) => alert.id === alertId));
      if (missing.length > 0) throw new CaseError('not_found', `no alert ${missing.join(', ')}`);
      const taken = alerts.filter((alert) => alert.status !== 'open');
      if (taken.length > 0) throw new CaseError('conflict', `alert ${taken[0]!.id} is already in case ${taken[0]!.case_id ?? ''}`);
      const row: CaseRow = {
        id, status: 'open', subject: alerts[0]!.subject, assignee: assignee ?? officer, opened_by: officer, opened_at_ms: this.nowMs(),
        decided_by: null, decided_at_ms: null, decision_note: null, action: null, action_status: 'none', action_transaction: null, action_problem: null,
      };
      await trx.insertInto('compliance_cases').values(row).execute();
      const updated = await trx.updateTable('compliance_alerts').set({ status: 'in_case', case_id: id }).where('id', 'in', [...alertIds]).where('status', '=', 'open').executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== alertIds.length) throw new CaseError('conflict', 'an alert was taken into another case meanwhile');
      if (note !== undefined) await trx.insertInto('compliance_case_notes').values(noteRow(id, 'comment', officer, note, this.nowMs())).execute();
      return row;
    });
  }

  async note(caseId: string, officer: string, kind: NoteKind, text: string, extra: { fileName?: string; sha256?: string; assignee?: string }): Promise<CaseNoteRow> {
    const row = await this.undecided(caseId);
    const note = { ...noteRow(caseId, kind, officer, text, this.nowMs()), file_name: extra.fileName ?? null, sha256: extra.sha256 ?? null };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('compliance_case_notes').values(note).execute();
      if (kind === 'assignment') await trx.updateTable('compliance_cases').set({ assignee: extra.assignee ?? officer }).where('id', '=', row.id).execute();
      if (kind === 'escalation') await trx.updateTable('compliance_cases').set({ status: 'escalated' }).where('id', '=', row.id).execute();
    });
    return note;
  }

  async decide(caseId: string, officer: string, decision: 'false_positive' | 'confirmed', note: string, action: CaseAction | undefined): Promise<CaseRow> {
    await this.undecided(caseId);
    if (decision === 'false_positive' && action !== undefined) throw new CaseError('invalid', 'a case closed as a false positive takes no action');
    const decided = {
      status: decision === 'confirmed' ? 'confirmed' as const : 'closed_false_positive' as const, decided_by: officer, decided_at_ms: this.nowMs(), decision_note: note,
      action: action === undefined ? null : JSON.stringify(action), action_status: action === undefined ? 'none' as const : 'due' as const,
    };
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('compliance_cases').set(decided).where('id', '=', caseId).where('decided_by', 'is', null).executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new CaseError('conflict', `case ${caseId} was decided meanwhile`);
      await trx.insertInto('compliance_case_notes').values(noteRow(caseId, 'decision' as NoteKind, officer, `${decision}: ${note}`, this.nowMs())).execute();
    });
    return (await this.get(caseId))!;
  }

  async get(caseId: string): Promise<CaseRow | undefined> {
    return await this.db.selectFrom('compliance_cases').selectAll().where('id', '=', caseId).executeTakeFirst() as CaseRow | undefined;
  }

  private async undecided(caseId: string): Promise<CaseRow> {
    const row = await this.get(caseId);
    if (row === undefined) throw new CaseError('not_found', `no case ${caseId}`);
    if (row.decided_by !== null) throw new CaseError('conflict', `case ${caseId} was decided (${row.status}) by ${row.decided_by}`);
    return row;
  }

  /** Carries out the actions of confirmed cases: a freeze signed by the module's identity, once per case. */
  async carryOut(client: DepositumClient): Promise<void> {
    const due = await this.db.selectFrom('compliance_cases').selectAll().where('action_status', '=', 'due').execute() as CaseRow[];
    for (const row of due) {
      const action = JSON.parse(row.action!) as CaseAction;
      const outcome = await client.submit([{ type: 'freeze_account', account: action.freeze }], { id: `case-${row.id}-freeze`, memo: `compliance case ${row.id}` });
      if (outcome.status !== 'sealed') continue; // sent again, with the same id, next round
      const { result } = outcome.receipt;
      await this.db.updateTable('compliance_cases').set({
        action_status: result.status === 'committed' ? 'done' : 'failed', action_transaction: outcome.receipt.transaction, action_problem: result.status === 'committed' ? null : `rejected: ${result.code ?? ''}`,
      }).where('id', '=', row.id).execute();
    }
  }
}

function noteRow(caseId: string, kind: NoteKind | 'decision', author: string, text: string, atMs: number): CaseNoteRow {
  return { id: randomUUID(), case_id: caseId, kind, author, text, file_name: null, sha256: null, at_ms: atMs };
}
