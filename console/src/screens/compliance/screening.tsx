import { Badge, Button, Group, List, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { usePost } from '../../api.js';
import { ListTable, Section, StatusBadge } from '../../parts.js';
import { Outcome } from '../treasurer/outcome.js';

interface Hit { list: string; listVersion: string; entryId: string; entryType: string; programs: string[]; matchedName: string; score: number; decision: string; reasons: string[] }
interface Screened { name: string; outcome: string; lists: { source: string; version: string; entries: number }[]; hits: Hit[] }

/** Screen a name against the sanctions lists the module holds: each hit with its list entry, score and the reasons for its decision. */
export function Screening() {
  const screen = usePost<Screened>();
  const [name, setName] = useState('');
  const [type, setType] = useState<string | null>(null);
  const result = screen.data;
  return (
    <Section title="Screening">
      <Group align="end">
        <TextInput label="Name to screen" value={name} onChange={(event) => setName(event.currentTarget.value)} w={360} />
        <Select label="Type" data={['entity', 'person']} value={type} onChange={setType} clearable w={140} />
        <Button disabled={name.trim() === ''} loading={screen.isPending} onClick={() => screen.mutate({ path: '/v1/compliance/screen', body: { name: name.trim(), ...(type !== null && { type }) } })}>Screen</Button>
      </Group>
      <Outcome label="Screening" error={screen.error} outcome={undefined} />
      {result !== undefined && (
        <Stack gap="xs" data-testid="screening-result">
          <Text>{result.name}: <StatusBadge status={result.outcome} /> against {result.lists.map((l) => `${l.source} (${l.entries} entries, ${l.version})`).join(', ')}</Text>
          <ListTable<Hit>
            label="hits" records={result.hits} idAccessor="entryId" empty="No hit"
            columns={[
              { accessor: 'list', title: 'List' },
              { accessor: 'entryId', title: 'Entry' },
              { accessor: 'matchedName', title: 'Listed name' },
              { accessor: 'programs', title: 'Programmes', render: (h) => h.programs.join(', ') },
              { accessor: 'score', title: 'Score', render: (h) => <Badge variant="outline">{h.score.toFixed(3)}</Badge> },
              { accessor: 'decision', title: 'Decision', render: (h) => <StatusBadge status={h.decision} /> },
              { accessor: 'reasons', title: 'Why', render: (h) => <List size="xs">{h.reasons.map((r, n) => <List.Item key={n}>{r}</List.Item>)}</List> },
            ]}
          />
        </Stack>
      )}
    </Section>
  );
}
