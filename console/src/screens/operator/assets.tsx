import { Button, Group, List, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { AssetSupply } from '../../../../src/sdk/browser.js';
import { useRead, useSubmit } from '../../api.js';
import { Amount, ListTable, ReadError, Section, StatusBadge } from '../../parts.js';
import { useSession } from '../../session.js';
import { Outcome } from '../treasurer/outcome.js';

interface Minters { asset: string; minters?: { minter: string; remaining: string; withheld: string }[] }

/** Assets with their supply, pause state and (for their issuer and overseers) minters' remaining allowances. */
export function Assets() {
  const { client } = useSession();
  const submit = useSubmit();
  const assets = useRead(['assets'], async () => (await client.assets()).data);
  const minters = useRead(['minters', assets.data?.map((a) => a.id)], () => Promise.all((assets.data ?? []).map((a) => client.request<Minters>('GET', `/v1/assets/${encodeURIComponent(a.id)}/reserves`))), { enabled: assets.data !== undefined });
  const mintersOf = (asset: string) => minters.data?.find((m) => m.asset === asset)?.minters;
  return (
    <Section title="Assets, minters and allowances">
      <ReadError error={assets.error} />
      <ListTable<AssetSupply>
        label="assets" records={assets.data} idAccessor="id" fetching={assets.isFetching}
        columns={[
          { accessor: 'id', title: 'Asset' },
          { accessor: 'kind', title: 'Kind' },
          { accessor: 'code', title: 'Code' },
          { accessor: 'issuer', title: 'Issuer' },
          { accessor: 'supply', title: 'Supply', textAlign: 'right', render: (a) => <span data-testid={`supply-${a.id}`}><Amount value={a.supply} asset={a.id} /></span> },
          { accessor: 'minters', title: 'Minters: remaining allowance', render: (a) => { const list = mintersOf(a.id); return list === undefined ? '—' : <List size="xs">{list.map((m) => <List.Item key={m.minter}>{m.minter}: <Amount value={m.remaining} asset={a.id} /></List.Item>)}</List>; } },
          { accessor: 'paused', title: 'State', render: (a) => <StatusBadge status={a.paused ? 'paused' : 'active'} /> },
          {
            accessor: 'actions', title: 'Pause', render: (a) => (
              <Button size="xs" variant="light" color={a.paused ? 'green' : 'orange'} onClick={() => submit.mutate({ operations: [{ type: a.paused ? 'unpause_asset' : 'pause_asset', asset: a.id }] })}>{a.paused ? `Unpause ${a.id}` : `Pause ${a.id}`}</Button>
            ),
          },
        ]}
      />
      <Outcome label="Asset" error={submit.error} outcome={submit.data?.outcome} />
    </Section>
  );
}

/** Freeze or unfreeze an account (compliance, the operator, or the asset's issuer, as the ledger allows). */
export function FreezeAccount() {
  const submit = useSubmit();
  const [account, setAccount] = useState('');
  return (
    <Section title="Freeze an account">
      <Group align="end">
        <TextInput label="Account to freeze or unfreeze" value={account} onChange={(event) => setAccount(event.currentTarget.value)} />
        <Button color="red" disabled={account.trim() === ''} loading={submit.isPending} onClick={() => submit.mutate({ operations: [{ type: 'freeze_account', account: account.trim() }] })}>Freeze</Button>
        <Button variant="light" disabled={account.trim() === ''} loading={submit.isPending} onClick={() => submit.mutate({ operations: [{ type: 'unfreeze_account', account: account.trim() }] })}>Unfreeze</Button>
      </Group>
      <Outcome label="Freeze" error={submit.error} outcome={submit.data?.outcome} />
    </Section>
  );
}
