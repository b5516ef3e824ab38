import { Type, type Static } from 'typebox';
import { Hex32, Id, literals, Reference, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * A regulatory report as filed: which report, its kind, its format, the SHA-256 of the
 * exact bytes sent to the authority, and who filed it when. The document stays with the
 * bank; the ledger keeps the proof that this one, and no other, was filed then, so an
 * examiner can set the bank's copy against the chain. A report id is filed once; a
 * correction is a new report.
 */
export const REPORT_KINDS = ['suspicious_transaction', 'threshold', 'export'] as const;
export const REPORT_FORMATS = ['goaml-xml', 'csv'] as const;

export const ReportSchema = Type.Object({
  id: Reference,
  kind: literals(REPORT_KINDS),
  format: literals(REPORT_FORMATS),
  documentHash: Hex32,
  /** The days or the case it covers, as the bank names it (`2026-11-20`, `case 3f2a…`). */
  covers: Reference,
  filedBy: Id,
  filedAtMs: TimeMs,
});
export type Report = Readonly<Static<typeof ReportSchema>>;

export const reports = defineEntity({
  table: 'reports',
  description: 'regulatory reports filed by compliance, by the hash of what was sent',
  schema: ReportSchema,
  key: (report) => report.id,
});
