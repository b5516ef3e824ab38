import { BarChart } from '@mantine/charts';
import { Button, FileInput, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useModuleRead, usePost } from '../../api.js';
import { ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { Outcome } from '../treasurer/outcome.js';
import { plotted } from '../../charts.js';

interface Stress { asset: string; coverage: string; results: { scenario: string; description: string; reservesAfter: string; coverage: string; hoursCovered: number | null; firstBreach: string | null }[] }
interface Report { report: string; status: string; sha256: string | null; holdingsRoot: string | null; transaction: string | null; problem: string | null }
interface Imported { version: number; kind: string; rows: number; asOf: string; sha256: string }

/** Import a custodian's file (positions, prices, FX): a new register version. */
export function RegisterImport() {
  const post = usePost<Imported>();
  const [kind, setKind] = useState<string | null>('positions');
  const [file, setFile] = useState<File | null>(null);
  const [asOf, setAsOf] = useState<string | null>(null);
  const upload = async (): Promise<void> => {
    if (file === null || kind === null) return;
    post.mutate({ path: '/v1/reserves/imports', body: { kind, name: file.name, csv: await file.text(), ...(asOf !== null && { asOf }) } });
  };
  return (
    <Section title="Import into the register">
      <Group align="end">
        <Select label="File kind" data={['positions', 'prices', 'fx']} value={kind} onChange={setKind} w={140} />
        <FileInput label="CSV file" placeholder="positions-2026-12-04.csv" accept=".csv,text/csv" value={file} onChange={(chosen) => { setFile(chosen); setAsOf(/(\d{4}-\d{2}-\d{2})/.exec(chosen?.name ?? '')?.[1] ?? null); }} w={300} />
        <Text size="sm" c="dimmed">as of {asOf ?? 'today'}</Text>
        <Button disabled={file === null} loading={post.isPending} onClick={() => void upload()}>Import</Button>
      </Group>
      <Outcome label="Import" error={post.error} outcome={post.data === undefined ? undefined : `register version ${post.data.version}: ${post.data.rows} rows of ${post.data.kind} as of ${post.data.asOf}, sha256 ${post.data.sha256.slice(0, 16)}…`} />
    </Section>
  );
}

/** The stress scenarios (market, run, operational, legal) on the current register, as a chart and a table. */
export function StressTests() {
  const run = usePost<Stress>();
  const results = run.data?.results ?? [];
  return (
    <Section title="Stress tests" right={<Button onClick={() => run.mutate({ path: '/v1/reserves/stress', body: {} })} loading={run.isPending}>Run stress tests</Button>}>
      <Outcome label="Stress tests" error={run.error} outcome={undefined} />
      {run.data !== undefined && (
        <Stack gap="xs" data-testid="stress-results">
          <Text size="sm">Coverage today: {run.data.coverage}; after each scenario:</Text>
          <BarChart h={220} data={results.map((r) => ({ scenario: r.scenario, coverage: plotted(r.coverage) }))} dataKey="scenario" unit="%" series={[{ name: 'coverage', color: 'orange.6' }]} referenceLines={[{ y: 100, label: '100%', color: 'red.6' }]} />
          <ListTable<Stress['results'][number]>
            label="stress results" records={results} idAccessor="scenario"
            columns={[
              { accessor: 'scenario', title: 'Scenario' },
              { accessor: 'description', title: 'What it assumes' },
              { accessor: 'reservesAfter', title: 'Reserves after', textAlign: 'right' },
              { accessor: 'coverage', title: 'Coverage after', textAlign: 'right' },
              { accessor: 'hoursCovered', title: 'Hours covered', render: (r) => (r.hoursCovered === null ? '—' : String(r.hoursCovered)) },
              { accessor: 'firstBreach', title: 'First breach', render: (r) => r.firstBreach ?? 'none' },
            ]}
          />
        </Stack>
      )}
    </Section>
  );
}

/** Daily reports: each hashed and attested on the ledger; make today's. */
export function DailyReports() {
  const reports = useModuleRead<{ data: Report[] }>('/v1/reserves/reports', { refetchMs: 3_000 });
  const make = usePost<Report>();
  return (
    <Section title="Daily reports and attestations" right={<Button variant="light" onClick={() => make.mutate({ path: '/v1/reserves/reports', body: {} })} loading={make.isPending}>Make today's report</Button>}>
      <ReadError error={reports.error} module="reserves" />
      <Outcome label="Report" error={make.error} outcome={make.data === undefined ? undefined : `report ${make.data.report}: ${make.data.status}`} />
      <ListTable<Report>
        label="reports" records={reports.data?.data} idAccessor="report"
        columns={[
          { accessor: 'report', title: 'Day' },
          { accessor: 'status', title: 'Status', render: (r) => <StatusBadge status={r.status} /> },
          { accessor: 'sha256', title: 'SHA-256', render: (r) => (r.sha256 === null ? '—' : `${r.sha256.slice(0, 16)}…`) },
          { accessor: 'transaction', title: 'On the ledger', render: (r) => (r.transaction === null ? r.problem ?? '—' : `${r.transaction.slice(0, 16)}…`) },
        ]}
      />
    </Section>
  );
}
