import { LineChart } from '@mantine/charts';
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage, useModuleRead, usePost } from '../../api.js';
import { plotted } from '../../charts.js';
import { ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { utcMinute } from '../../time.js';

interface Credit { entry: string; bankAccount: string | null; sender: string | null; amount: string; currency: string; status: string; reason: string | null; detail: string | null; receivedAtMs: number }
interface Break { id: string; statement: string; kind: string; subject: string; amount: string | null; detail: string; ageMs: number; status: string; resolvedBy: string | null; resolutionNote: string | null }
interface Statement { statement: string; cutoffMs: number; currency: string; closingBalance: string; supply: string | null; creditsInTransit: string | null; payoutsInTransit: string | null; reconciled: boolean; attestation: string | null }
interface PageOf<T> { data: T[] }



/** The bank's desk: credits in suspense, reconciliation breaks (resolve with a note), and supply against the omnibus balance. */
export function BankingDesk() {
  const suspense = useModuleRead<PageOf<Credit>>('/v1/banking/credits?status=suspense&limit=500');
  const breaks = useModuleRead<PageOf<Break>>('/v1/banking/breaks?limit=500');
  const statements = useModuleRead<PageOf<Statement>>('/v1/banking/statements?limit=100');
  const resolve = usePost<Break>();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const series = [...(statements.data?.data ?? [])].reverse().map((s) => ({ cutoff: utcMinute(s.cutoffMs), supply: plotted(s.supply), omnibus: plotted(s.closingBalance), exact: `${s.supply ?? '?'} / ${s.closingBalance}` }));
  return (
    <Stack>
      <Section title="Supply against the omnibus balance">
        <ReadError error={statements.error} module="banking" />
        {series.length === 0 ? <Text size="sm" c="dimmed">No statement received yet.</Text> : (
          <LineChart h={240} curveType="linear" data={series} dataKey="cutoff" series={[{ name: 'supply', color: 'blue.6' }, { name: 'omnibus', color: 'teal.6' }]} withLegend aria-label="Supply against the omnibus balance at each statement" />
        )}
        <ListTable<Statement>
          label="statements" records={statements.data?.data} idAccessor="statement"
          columns={[
            { accessor: 'statement', title: 'Statement' },
            { accessor: 'cutoffMs', title: 'Cut-off (UTC)', render: (s) => utcMinute(s.cutoffMs) },
            { accessor: 'closingBalance', title: 'Omnibus balance', textAlign: 'right', render: (s) => `${s.closingBalance} ${s.currency}` },
            { accessor: 'supply', title: 'Supply', textAlign: 'right', render: (s) => `${s.supply ?? '—'} ${s.currency}` },
            { accessor: 'reconciled', title: 'Reconciled', render: (s) => <StatusBadge status={s.reconciled ? 'reconciled' : 'breaks'} /> },
          ]}
        />
      </Section>
      <Section title="Credits in suspense">
        <ReadError error={suspense.error} module="banking" />
        <ListTable<Credit>
          label="credits in suspense" records={suspense.data?.data} idAccessor="entry"
          columns={[
            { accessor: 'entry', title: 'Entry' },
            { accessor: 'sender', title: 'Sender' },
            { accessor: 'amount', title: 'Amount', textAlign: 'right', render: (c) => `${c.amount} ${c.currency}` },
            { accessor: 'reason', title: 'Why in suspense', render: (c) => `${c.reason ?? ''}${c.detail === null ? '' : `: ${c.detail}`}` },
            { accessor: 'receivedAtMs', title: 'Received', render: (c) => utcMinute(c.receivedAtMs) },
          ]}
        />
      </Section>
      <Section title="Reconciliation breaks">
        <ReadError error={breaks.error} module="banking" />
        <ListTable<Break>
          label="breaks" records={breaks.data?.data} idAccessor="id"
          columns={[
            { accessor: 'id', title: 'Break' },
            { accessor: 'kind', title: 'Kind' },
            { accessor: 'subject', title: 'Subject' },
            { accessor: 'detail', title: 'Detail' },
            { accessor: 'status', title: 'Status', render: (b) => <StatusBadge status={b.status} /> },
            {
              accessor: 'resolve', title: 'Resolve', render: (b) => b.status !== 'open' ? `${b.resolvedBy ?? ''}: ${b.resolutionNote ?? ''}` : (
                <Group gap={4} wrap="nowrap">
                  <TextInput size="xs" aria-label={`Note resolving ${b.id}`} placeholder="why it is resolved" value={notes[b.id] ?? ''} onChange={(event) => setNotes({ ...notes, [b.id]: event.currentTarget.value })} />
                  <Button size="xs" disabled={(notes[b.id] ?? '').trim() === ''} onClick={() => resolve.mutate({ path: '/v1/banking/breaks/resolve', body: { id: b.id, note: notes[b.id]!.trim() } })}>Resolve</Button>
                </Group>
              ),
            },
          ]}
        />
        {resolve.error !== null && <Text c="red" role="alert">{errorMessage(resolve.error)}</Text>}
      </Section>
    </Stack>
  );
}
