import { Button, Group, Select } from '@mantine/core';
import { useState } from 'react';
import { useRead, useSubmit } from '../../api.js';
import { ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { Outcome } from '../treasurer/outcome.js';

interface ParticipantRow { id: string; legalName: string; lei?: string; jurisdiction: string; roles: string[]; kycStatus?: string; kycExpiresAtMs?: number }

const KYC_STATUSES = ['approved', 'pending', 'suspended', 'rejected'];

/** The registry: participants, their roles and KYC; compliance and the operator change a KYC status. */
export function Participants() {
  const { client } = useSession();
  const submit = useSubmit();
  const participants = useRead(['participants'], async () => (await client.participants()).data as unknown as ParticipantRow[]);
  const [subject, setSubject] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  return (
    <Section title="Participants and KYC">
      <ReadError error={participants.error} />
      <ListTable<ParticipantRow>
        label="participants" records={participants.data} idAccessor="id" fetching={participants.isFetching}
        columns={[
          { accessor: 'id', title: 'Participant' },
          { accessor: 'legalName', title: 'Legal name' },
          { accessor: 'jurisdiction', title: 'Jurisdiction' },
          { accessor: 'roles', title: 'Roles', render: (p) => p.roles.join(', ') },
          { accessor: 'kycStatus', title: 'KYC', render: (p) => (p.kycStatus === undefined ? '—' : <StatusBadge status={p.kycStatus} />) },
          { accessor: 'kycExpiresAtMs', title: 'KYC expires', render: (p) => (p.kycExpiresAtMs === undefined ? '—' : new Date(p.kycExpiresAtMs).toISOString().slice(0, 10)) },
        ]}
      />
      <Group align="end">
        <Select label="Participant" data={(participants.data ?? []).map((p) => p.id)} value={subject} onChange={setSubject} searchable />
        <Select label="KYC status" data={KYC_STATUSES} value={status} onChange={setStatus} />
        <Button disabled={subject === null || status === null} loading={submit.isPending}
          onClick={() => submit.mutate({ operations: [{ type: 'update_participant', participant: subject!, changes: { kycStatus: status as 'approved' } }] })}>Set KYC status</Button>
      </Group>
      <Outcome label="KYC" error={submit.error} outcome={submit.data?.outcome} />
    </Section>
  );
}
