/** Times are shown in UTC, the ledger's own time, to the minute ("2026-12-06 10:39") or the second. */
export const utcMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
export const utcSecond = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
