import type { AnyDatabase } from '../kit/database.js';
import type { CreditIntake } from './deposits.js';
import type { BankLink } from './link.js';
import { MessageError, type SchemaDirectory } from './iso20022/index.js';
import type { Reconciler } from './reconcile.js';
import type { RequestRow } from './tables.js';

/** Requests carried out per round of the module's work. */
const REQUESTS_PER_ROUND = 50;

/**
 * The desk's requests (a reconciliation again, a mint once an account is linked, a credit
 * sent back), carried out in order by the module's participant on the lease holder: the
 * routes only record them, since only the runner signs. A request refused for what it
 * asks fails with why; one that meets an unreachable node stays pending for the next round.
 */
export class DeskRequests {
  constructor(
    private readonly db: AnyDatabase,
    private readonly intake: CreditIntake,
    private readonly reconciler: Reconciler,
    private readonly schemas: SchemaDirectory | undefined,
    private readonly nowMs: () => number,
  ) {}

  async carryOut(outbox: BankLink): Promise<void> {
    const pending = await this.db.selectFrom('banking_requests').selectAll().where('status', '=', 'pending').orderBy('requested_at_ms').orderBy('id').limit(REQUESTS_PER_ROUND).execute() as RequestRow[];
    for (const request of pending) {
      let change: Pick<RequestRow, 'status' | 'outcome'>;
      try {
        change = { status: 'done', outcome: JSON.stringify(await this.one(request, outbox)) };
      } catch (error) {
        if (!(error instanceof MessageError)) throw error;
        change = { status: 'failed', outcome: JSON.stringify({ problem: error.message }) };
      }
      await this.db.updateTable('banking_requests').set({ ...change, done_at_ms: this.nowMs() }).where('id', '=', request.id).where('status', '=', 'pending').execute();
    }
  }

  private async one(request: RequestRow, outbox: BankLink): Promise<unknown> {
    switch (request.kind) {
      case 'reconcile':
        return this.reconciler.run(request.subject ?? await this.latestStatement());
      case 'retry_credit':
        return this.intake.retry(request.subject!, request.id);
      case 'return_credit':
        return { returnId: await this.intake.returnCredit(request.subject!, request.reason!, request.note ?? undefined, outbox, this.schemas) };
    }
  }

  private async latestStatement(): Promise<string> {
    const latest = await this.db.selectFrom('banking_statements').select('statement_id').orderBy('cutoff_ms', 'desc').limit(1).executeTakeFirst() as { statement_id: string } | undefined;
    if (latest === undefined) throw new MessageError('no statement has been received yet');
    return latest.statement_id;
  }
}
