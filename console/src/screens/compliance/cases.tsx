import { Button, Checkbox, Group, List, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useModuleRead, usePost } from '../../api.js';
import { ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { Outcome } from '../treasurer/outcome.js';
import { utcMinute } from '../../time.js';

interface Alert { id: string; rule: string; subject: string; detail: string; blockTimeMs: number; status: string; caseId: string | null }
interface Case { id: string; status: string; subject: string; assignee: string | null; openedBy: string; openedAtMs: number; decidedBy: string | null; decisionNote: string | null; action: { freeze: string } | null; actionStatus: string; actionTransaction: string | null; actionProblem: string | null }
interface CaseDetail { case: Case; alerts: Alert[]; notes: { id: string; kind: string; author: string; text: string; atMs: number }[] }
interface PageOf<T> { data: T[] }

/** Alerts and cases refresh on a timer too: the module raises them a moment after the block that caused them. */
const DESK_REFRESH_MS = 3_000;

/** Open alerts from monitoring: pick some and open a case on them. */
export function Alerts({ onOpened }: { onOpened: (id: string) => void }) {
  const alerts = useModuleRead<PageOf<Alert>>('/v1/compliance/alerts?status=open&limit=500', { refetchMs: DESK_REFRESH_MS });
  const open = usePost<Case>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [caseId, setCaseId] = useState('');
  const [note, setNote] = useState('');
  return (
    <Section title="Alerts">
      <ReadError error={alerts.error} module="compliance" />
      <ListTable<Alert>
        label="alerts" records={alerts.data?.data} idAccessor="id"
        columns={[
          { accessor: 'pick', title: 'Pick', render: (a) => <Checkbox aria-label={`Pick alert ${a.id}`} checked={chosen.includes(a.id)} onChange={(event) => setChosen(event.currentTarget.checked ? [...chosen, a.id] : chosen.filter((id) => id !== a.id))} /> },
          { accessor: 'rule', title: 'Rule' },
          { accessor: 'subject', title: 'Subject' },
          { accessor: 'detail', title: 'What was seen' },
          { accessor: 'blockTimeMs', title: 'When (UTC)', render: (a) => utcMinute(a.blockTimeMs) },
        ]}
      />
      <Group align="end">
        <TextInput label="Case id" placeholder="CASE-2026-0001" value={caseId} onChange={(event) => setCaseId(event.currentTarget.value)} />
        <TextInput label="Note" value={note} onChange={(event) => setNote(event.currentTarget.value)} w={360} />
        <Button disabled={chosen.length === 0} loading={open.isPending} onClick={() => open.mutate(
          { path: '/v1/compliance/cases', body: { alerts: chosen, ...(caseId.trim() !== '' && { id: caseId.trim() }), ...(note.trim() !== '' && { note: note.trim() }) } },
          { onSuccess: (opened) => { setChosen([]); onOpened(opened.id); } },
        )}>Open a case on {chosen.length} alert(s)</Button>
      </Group>
      <Outcome label="Case" error={open.error} outcome={open.data === undefined ? undefined : `case ${open.data.id} opened`} />
    </Section>
  );
}

export function Cases({ selected, onSelect }: { selected: string | null; onSelect: (id: string) => void }) {
  const cases = useModuleRead<PageOf<Case>>('/v1/compliance/cases?limit=500', { refetchMs: DESK_REFRESH_MS });
  return (
    <Section title="Cases">
      <ReadError error={cases.error} module="compliance" />
      <ListTable<Case>
        label="cases" records={cases.data?.data} idAccessor="id" onRowClick={(c) => onSelect(c.id)}
        columns={[
          { accessor: 'id', title: 'Case', render: (c) => <Button variant="subtle" size="compact-sm" onClick={() => onSelect(c.id)}>{c.id}</Button> },
          { accessor: 'subject', title: 'Subject' },
          { accessor: 'status', title: 'Status', render: (c) => <StatusBadge status={c.status} /> },
          { accessor: 'openedBy', title: 'Opened by' },
          { accessor: 'action', title: 'Action', render: (c) => (c.action === null ? '—' : `freeze ${c.action.freeze}: ${c.actionStatus}`) },
        ]}
      />
      {selected !== null && <CaseWork id={selected} />}
    </Section>
  );
}

/** One case worked to a decision: its alerts and notes; confirm (optionally freezing an account) or close as a false positive; then file the STR. */
function CaseWork({ id }: { id: string }) {
  const detail = useModuleRead<CaseDetail>(`/v1/compliance/cases/${encodeURIComponent(id)}`, { refetchMs: DESK_REFRESH_MS });
  const decide = usePost<Case>();
  const report = usePost<{ id: string; status: string; sha256: string | null }>();
  const [decision, setDecision] = useState<string | null>('confirmed');
  const [note, setNote] = useState('');
  const [freeze, setFreeze] = useState('');
  const [reason, setReason] = useState('');
  const [action, setAction] = useState('');
  const c = detail.data?.case;
  return (
    <Stack gap="xs" aria-label={`Case ${id}`} component="section">
      <Title order={4}>Case {id}</Title>
      <ReadError error={detail.error} module="compliance" />
      {c !== undefined && (
        <>
          <Text size="sm">Status: <StatusBadge status={c.status} /> · subject {c.subject} · opened by {c.openedBy} {c.decidedBy === null ? '' : `· decided by ${c.decidedBy}: ${c.decisionNote ?? ''}`}</Text>
          <List size="xs">{detail.data?.alerts.map((a) => <List.Item key={a.id}>{a.rule} on {a.subject}: {a.detail}</List.Item>)}</List>
          <List size="xs">{detail.data?.notes.map((n) => <List.Item key={n.id}>{utcMinute(n.atMs)} {n.author} ({n.kind}): {n.text}</List.Item>)}</List>
          {(c.status === 'open' || c.status === 'escalated') && (
            <Group align="end">
              <Select label="Decision" data={[{ value: 'confirmed', label: 'Confirm: suspicious' }, { value: 'false_positive', label: 'Close: false positive' }]} value={decision} onChange={setDecision} />
              <TextInput label="Decision note" value={note} onChange={(event) => setNote(event.currentTarget.value)} w={300} />
              <TextInput label="Freeze account (optional)" value={freeze} onChange={(event) => setFreeze(event.currentTarget.value)} disabled={decision !== 'confirmed'} />
              <Button disabled={note.trim() === '' || decision === null} loading={decide.isPending} onClick={() => decide.mutate({
                path: `/v1/compliance/cases/${encodeURIComponent(id)}/decision`,
                body: { decision, note: note.trim(), ...(decision === 'confirmed' && freeze.trim() !== '' && { action: { freeze: freeze.trim() } }) },
              })}>Decide</Button>
            </Group>
          )}
          <Outcome label="Decision" error={decide.error} outcome={decide.data === undefined ? undefined : `case ${decide.data.id}: ${decide.data.status}`} />
          {c.status === 'confirmed' && (
            <Stack gap={4}>
              <Text fw={600} size="sm">File a suspicious transaction report (goAML XML, its hash recorded on the ledger)</Text>
              <Textarea label="Reason for suspicion" value={reason} onChange={(event) => setReason(event.currentTarget.value)} />
              <Textarea label="Action taken" value={action} onChange={(event) => setAction(event.currentTarget.value)} />
              <Group><Button disabled={reason.trim() === '' || action.trim() === ''} loading={report.isPending} onClick={() => report.mutate({ path: `/v1/compliance/cases/${encodeURIComponent(id)}/report`, body: { reason: reason.trim(), action: action.trim() } })}>File report</Button></Group>
              <Outcome label="Report" error={report.error} outcome={report.data === undefined ? undefined : `report ${report.data.id}: ${report.data.status}`} />
            </Stack>
          )}
        </>
      )}
    </Stack>
  );
}
