import { Badge, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useRead, useSubmit } from '../../api.js';
import { Section } from '../../parts.js';
import { useSession } from '../../session.js';
import { useOwnAccounts } from './balances.js';
import { Outcome } from './outcome.js';

const PAYEE_COLORS = { match: 'green', close_match: 'yellow', no_match: 'red', unavailable: 'gray' } as const;

/** Confirmation of payee while typing: the name given against the name the account is registered under. */
function PayeeCheckBadge({ account, name }: { account: string; name: string }) {
  const { client } = useSession();
  const [debounced] = useDebouncedValue({ account, name }, 400);
  const check = useRead(['payee-check', debounced.account, debounced.name], () => client.payeeCheck(debounced.account, debounced.name), { enabled: debounced.account !== '' && debounced.name.trim() !== '' });
  if (check.data === undefined) return null;
  const { registeredName } = check.data;
  const result = check.data.result as keyof typeof PAYEE_COLORS;
  return <Badge color={PAYEE_COLORS[result]} variant="light" tt="none" maw="100%" h="auto" data-testid="payee-check">{result.replace('_', ' ')}{registeredName === undefined ? '' : `: registered as ${registeredName}`}</Badge>;
}

export function Pay() {
  const accounts = useOwnAccounts();
  const submit = useSubmit();
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [payee, setPayee] = useState('');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const pay = (): void => {
    if (from === null) return;
    submit.mutate({ operations: [{ type: 'transfer', from, to: to.trim(), amount: amount.trim() }], options: reference.trim() === '' ? {} : { reference: reference.trim() } });
  };
  return (
    <Section title="Pay">
      <Stack gap="xs" maw={720}>
        <Group grow align="start">
          <Select label="From" data={(accounts.data ?? []).map((a) => a.id)} value={from} onChange={setFrom} searchable />
          <TextInput label="To account" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        </Group>
        <Group grow align="end">
          <TextInput label="Payee name (checked against the account)" value={payee} onChange={(event) => setPayee(event.currentTarget.value)} />
          <div><PayeeCheckBadge account={to.trim()} name={payee} /></div>
        </Group>
        <Group grow align="start">
          <TextInput label="Amount" placeholder="250000.00" value={amount} onChange={(event) => setAmount(event.currentTarget.value)} inputMode="decimal" />
          <TextInput label="Reference" placeholder="INV-2026-0042" value={reference} onChange={(event) => setReference(event.currentTarget.value)} />
        </Group>
        <Group><Button onClick={pay} loading={submit.isPending} disabled={from === null || to.trim() === '' || amount.trim() === ''}>Pay</Button></Group>
        <Outcome label="Payment" error={submit.error} outcome={submit.data?.outcome} />
      </Stack>
    </Section>
  );
}
