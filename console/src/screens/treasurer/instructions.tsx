import { Button, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { InstructionInfo, Operation, Simulation } from '../../../../src/sdk/browser.js';
import { errorMessage, useRead, useSubmit } from '../../api.js';
import { ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { Outcome } from './outcome.js';
import { utcMinute } from '../../time.js';

const day = (ms: number | null): string => (ms === null ? '—' : utcMinute(ms));

/** Standing instructions: the list with each next run, and a new one simulated over the days ahead before it is saved. */
export function StandingInstructions() {
  const { client } = useSession();
  const submit = useSubmit();
  const list = useRead(['instructions'], async () => (await client.instructions({ limit: 500 })).data);
  const [draft, setDraft] = useState({ instruction: '', kind: 'sweep', from: '', to: '', amount: '', keep: '', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0', timeZone: 'UTC' });
  const [days, setDays] = useState<number | string>(92);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const [simulationError, setSimulationError] = useState<string | null>(null);
  const set = (field: keyof typeof draft) => (value: string) => { setDraft({ ...draft, [field]: value }); setSimulation(null); };
  const operation = (): Operation => ({
    type: 'set_standing_instruction', instruction: draft.instruction.trim(), kind: draft.kind as 'sweep', from: draft.from.trim(), to: draft.to.trim(),
    ...(draft.amount.trim() !== '' && { amount: draft.amount.trim() }), ...(draft.keep.trim() !== '' && { keep: draft.keep.trim() }),
    schedule: { rrule: draft.rrule.trim(), timeZone: draft.timeZone.trim() },
  });
  const simulate = async (): Promise<void> => {
    setSimulationError(null);
    try {
      setSimulation(await client.simulate([operation()], { days: Number(days) }));
    } catch (error) {
      setSimulationError(errorMessage(error));
    }
  };
  return (
    <Section title="Standing instructions">
      <ReadError error={list.error} />
      <ListTable<InstructionInfo>
        label="standing instructions" records={list.data} idAccessor="id" fetching={list.isFetching}
        columns={[
          { accessor: 'id', title: 'Instruction' },
          { accessor: 'kind', title: 'Kind' },
          { accessor: 'from', title: 'From' },
          { accessor: 'to', title: 'To' },
          { accessor: 'nextRunAtMs', title: 'Next run (UTC)', render: (i) => day(i.nextRunAtMs) },
          { accessor: 'runs', title: 'Runs' },
          { accessor: 'status', title: 'Status', render: (i) => <StatusBadge status={i.status} /> },
        ]}
      />
      <Stack gap="xs" maw={900}>
        <Text fw={600}>New instruction: simulate, then save</Text>
        <Group grow align="start">
          <TextInput label="Instruction id" value={draft.instruction} onChange={(e) => set('instruction')(e.currentTarget.value)} />
          <Select label="Kind" data={['pay', 'sweep', 'top_up', 'split']} value={draft.kind} onChange={(value) => set('kind')(value ?? 'sweep')} />
          <TextInput label="From account" value={draft.from} onChange={(e) => set('from')(e.currentTarget.value)} />
          <TextInput label="To account" value={draft.to} onChange={(e) => set('to')(e.currentTarget.value)} />
        </Group>
        <Group grow align="start">
          <TextInput label="Amount (pay)" value={draft.amount} onChange={(e) => set('amount')(e.currentTarget.value)} />
          <TextInput label="Keep (sweep)" value={draft.keep} onChange={(e) => set('keep')(e.currentTarget.value)} />
          <TextInput label="Schedule (RFC 5545 RRULE)" value={draft.rrule} onChange={(e) => set('rrule')(e.currentTarget.value)} />
          <TextInput label="Time zone" value={draft.timeZone} onChange={(e) => set('timeZone')(e.currentTarget.value)} />
        </Group>
        <Group align="end">
          <NumberInput label="Simulate over (days)" min={1} max={366} value={days} onChange={setDays} w={160} />
          <Button variant="light" onClick={() => void simulate()}>Simulate</Button>
          <Button onClick={() => submit.mutate({ operations: [operation()] })} disabled={simulation === null || simulation.result.status !== 'committed'} loading={submit.isPending}>Save instruction</Button>
        </Group>
        {simulationError !== null && <Text c="red" role="alert">{simulationError}</Text>}
        {simulation !== null && <SimulationView simulation={simulation} />}
        <Outcome label="Standing instruction" error={submit.error} outcome={submit.data?.outcome} />
      </Stack>
    </Section>
  );
}

function SimulationView({ simulation }: { simulation: Simulation }) {
  const runs = simulation.schedule?.runs ?? [];
  return (
    <Stack gap={4} data-testid="simulation">
      <Text size="sm">Simulation: <StatusBadge status={simulation.result.status} /> {simulation.explanations.map((e) => e.message).join('; ')}</Text>
      <Table withTableBorder aria-label="Simulated runs">
        <Table.Thead><Table.Tr><Table.Th>Run (UTC)</Table.Th><Table.Th>Instruction</Table.Th><Table.Th>What it does</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {runs.map((run, n) => (
            <Table.Tr key={n}><Table.Td>{day(run.atMs)}</Table.Td><Table.Td>{run.instruction}</Table.Td><Table.Td>{run.events.map((e) => `${e.type}${typeof e.data['amount'] === 'string' ? ` ${e.data['amount']}` : ''}`).join(', ') || 'nothing'}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {simulation.schedule?.complete === false && <Text size="xs" c="dimmed">The simulation stopped at its bound of runs.</Text>}
    </Stack>
  );
}
