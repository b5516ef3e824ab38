import { Button, Group, List, Text } from '@mantine/core';
import type { ProposalInfo } from '../../../../src/sdk/browser.js';
import { useRead, useSubmit } from '../../api.js';
import { ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { Outcome } from './outcome.js';

/** Maker-checker: proposals the signed-in officer made or is named to approve; approve or reject those waiting for them. */
export function Approvals() {
  const { client, me } = useSession();
  const submit = useSubmit();
  const proposals = useRead(['proposals'], async () => (await client.proposals()).data);
  const mayDecide = (p: ProposalInfo): boolean => p.status === 'pending' && p.proposer !== me.id && !p.approvals.includes(me.id) && p.requirements.some((r) => r.approvers.includes(me.id));
  return (
    <Section title="Approvals inbox">
      <ReadError error={proposals.error} />
      <ListTable<ProposalInfo>
        label="proposals" records={proposals.data} idAccessor="id" fetching={proposals.isFetching} empty="No proposals for you"
        columns={[
          { accessor: 'id', title: 'Proposal' },
          { accessor: 'proposer', title: 'Proposed by' },
          { accessor: 'described', title: 'What it does', render: (p) => <List size="xs">{p.described.map((line, n) => <List.Item key={n}>{line}</List.Item>)}</List> },
          { accessor: 'waitingFor', title: 'Waiting for', render: (p) => <Text size="xs">{p.waitingFor.join('; ') || '—'}</Text> },
          { accessor: 'status', title: 'Status', render: (p) => <StatusBadge status={p.status} /> },
          {
            accessor: 'decide', title: 'Decide', render: (p) => !mayDecide(p) ? null : (
              <Group gap={4} wrap="nowrap">
                <Button size="xs" onClick={() => submit.mutate({ operations: [{ type: 'approve_proposal', proposal: p.id }] })}>Approve</Button>
                <Button size="xs" color="red" variant="light" onClick={() => submit.mutate({ operations: [{ type: 'reject_proposal', proposal: p.id }] })}>Reject</Button>
              </Group>
            ),
          },
        ]}
      />
      <Outcome label="Decision" error={submit.error} outcome={submit.data?.outcome} />
    </Section>
  );
}
