import { Type } from 'typebox';
import { REPORT_FORMATS, REPORT_KINDS } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Hex32, Id, literals, Reference } from '../../schema.js';
import { mustBeNew } from '../checks.js';
import { withBalances } from '../effects.js';

export const reportFiled = defineEvent('report_filed', 'compliance filed a regulatory report: its kind, format and the hash of what was sent', Type.Object({
  report: Reference, kind: literals(REPORT_KINDS), format: literals(REPORT_FORMATS), documentHash: Hex32, covers: Reference, filedBy: Id,
}));

/**
 * Records that compliance filed a report with an authority (a suspicious transaction
 * report to the FIU, a day's threshold report): the hash of the bytes sent, not the bytes.
 * The event names no participant, so only those who oversee the ledger (compliance, the
 * operator, auditors) see it: a report's subject is never told of it.
 */
export const fileReport = operation({
  family: 'compliance',
  summary: 'record a regulatory report as filed, by the SHA-256 of the document sent',
  schema: Type.Object({
    type: Type.Literal('file_report'), report: Reference, kind: literals(REPORT_KINDS), format: literals(REPORT_FORMATS), documentHash: Hex32, covers: Reference,
  }, { additionalProperties: false }),
  initiators: ['compliance'],
  consent: 'compliance',
  events: [reportFiled],
  describe: (op) => `file ${op.kind.replace('_', ' ')} report ${op.report} (${op.format}, ${op.covers})`,
}).resolve((ctx, op) => ({ existing: ctx.draft.get('reports', op.report) })).define({
  checks: [mustBeNew('report', 'report', (env) => env.existing)],
  apply: (ctx, op) => {
    const filedBy = ctx.sender.id;
    ctx.draft.put('reports', op.report, { id: op.report, kind: op.kind, format: op.format, documentHash: op.documentHash, covers: op.covers, filedBy, filedAtMs: ctx.blockTimeMs });
    return [withBalances(ctx.draft, reportFiled.of({ report: op.report, kind: op.kind, format: op.format, documentHash: op.documentHash, covers: op.covers, filedBy }, {}))];
  },
  parties: () => [],
  accounts: () => [],
});
