import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { stringify } from 'csv-stringify/browser/esm/sync';
import { useState } from 'react';
import type { HistoryLine } from '../../../../src/sdk/browser.js';
import { errorMessage } from '../../api.js';
import { Section } from '../../parts.js';
import { useSession } from '../../session.js';
import { useOwnAccounts } from './balances.js';

/** Statements: an account's history over a period, every line with the balance after it, as CSV. */
export function StatementExport() {
  const { client } = useSession();
  const accounts = useOwnAccounts();
  const [account, setAccount] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async (): Promise<void> => {
    if (account === null) return;
    setBusy(true);
    setError(null);
    try {
      const lines: HistoryLine[] = [];
      for (let next: string | undefined; ;) {
        const page = await client.history(account, { limit: 500, ...(from !== '' && { from }), ...(to !== '' && { to }), ...(next !== undefined && { startingAfter: next }) });
        lines.push(...page.data);
        if (!page.has_more || page.next === null) break;
        next = page.next;
      }
      const csv = stringify([
        ['position', 'time_utc', 'type', 'available_change', 'held_change', 'available', 'held', 'counterparty', 'reference', 'transaction'],
        ...lines.map((l) => [l.position, new Date(l.timeMs).toISOString(), l.type, l.availableChange, l.heldChange, l.available, l.held, l.counterparty ?? '', l.reference ?? '', l.transaction ?? '']),
      ]);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      link.download = `statement-${account}${from === '' ? '' : `-from-${from}`}${to === '' ? '' : `-to-${to}`}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Statements">
      <Group align="end">
        <Select label="Account" data={(accounts.data ?? []).map((a) => a.id)} value={account} onChange={setAccount} />
        <TextInput label="From (date, UTC)" placeholder="2026-12-01" value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
        <TextInput label="To (date, UTC)" placeholder="2026-12-31" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        <Button onClick={() => void download()} loading={busy} disabled={account === null}>Export CSV</Button>
      </Group>
      {error !== null && <Text c="red" role="alert">{error}</Text>}
    </Section>
  );
}
