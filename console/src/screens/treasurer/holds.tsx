import { Button, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { HoldInfo } from '../../../../src/sdk/browser.js';
import { useEveryPage, useSubmit } from '../../api.js';
import { Amount, ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { useOwnAccounts } from './balances.js';
import { Outcome } from './outcome.js';
import { utcMinute } from '../../time.js';


/** Holds the participant placed or is the payee of: place one, post it (in full or in part) or void it. */
export function Holds() {
  const { client } = useSession();
  const accounts = useOwnAccounts();
  const submit = useSubmit();
  const holds = useEveryPage('holds', (startingAfter) => client.holds({ limit: 500, ...(startingAfter !== undefined && { startingAfter }) }));
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [hours, setHours] = useState<number | string>(1);
  const [id, setId] = useState('');
  const [postAmount, setPostAmount] = useState<Record<string, string>>({});
  const place = (): void => {
    if (from === null) return;
    submit.mutate({ operations: [{ type: 'hold', hold: id.trim(), from, to: to.trim(), amount: amount.trim(), expiresAtMs: Date.now() + Number(hours) * 3_600_000 }] });
  };
  return (
    <Section title="Holds">
      <Stack gap="xs" maw={720}>
        <Group grow align="start">
          <TextInput label="Hold id" placeholder="delivery-7" value={id} onChange={(event) => setId(event.currentTarget.value)} />
          <Select label="From" data={(accounts.data ?? []).map((a) => a.id)} value={from} onChange={setFrom} />
          <TextInput label="For (payee account)" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        </Group>
        <Group grow align="end">
          <TextInput label="Amount" value={amount} onChange={(event) => setAmount(event.currentTarget.value)} inputMode="decimal" />
          <NumberInput label="Expires in (hours)" min={1} max={24 * 90} value={hours} onChange={setHours} />
          <Button onClick={place} loading={submit.isPending} disabled={from === null || id.trim() === '' || to.trim() === '' || amount.trim() === ''}>Place hold</Button>
        </Group>
        <Outcome label="Hold" error={submit.error} outcome={submit.data?.outcome} />
      </Stack>
      <ReadError error={holds.error} />
      <ListTable<HoldInfo>
        label="holds" records={holds.data} idAccessor="id" fetching={holds.isFetching}
        columns={[
          { accessor: 'id', title: 'Hold' },
          { accessor: 'payer', title: 'From' },
          { accessor: 'payee', title: 'To' },
          { accessor: 'amount', title: 'Amount', textAlign: 'right', render: (h) => <Amount value={h.amount} asset={h.asset} /> },
          { accessor: 'posted', title: 'Posted', textAlign: 'right', render: (h) => <Amount value={h.posted} asset={h.asset} /> },
          { accessor: 'expiresAtMs', title: 'Expires', render: (h) => utcMinute(h.expiresAtMs) },
          { accessor: 'status', title: 'Status', render: (h) => <StatusBadge status={h.status} /> },
          {
            accessor: 'actions', title: 'Post or void', render: (h) => h.status !== 'pending' ? null : (
              <Group gap={4} wrap="nowrap">
                <TextInput size="xs" w={110} aria-label={`Amount to post of ${h.id}`} placeholder="all" value={postAmount[h.id] ?? ''} onChange={(event) => setPostAmount({ ...postAmount, [h.id]: event.currentTarget.value })} />
                <Button size="xs" onClick={() => submit.mutate({ operations: [{ type: 'post', hold: h.id, ...((postAmount[h.id] ?? '').trim() !== '' && { amount: postAmount[h.id]!.trim() }) }] })}>Post</Button>
                <Button size="xs" color="red" variant="light" onClick={() => submit.mutate({ operations: [{ type: 'void', hold: h.id }] })}>Void</Button>
              </Group>
            ),
          },
        ]}
      />
    </Section>
  );
}
